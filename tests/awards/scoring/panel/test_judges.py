"""Judges of an edition: profiles, and staff holding no entry in their edition."""

from __future__ import annotations

import pytest

from awards.accounts.tables import AccountChange, RoleGrant
from awards.errors import ValidationError
from awards.intake.tables import BusinessMember
from awards.scoring.panel import judges
from awards.scoring.tables import JudgeProfile
from tests.awards.scoring.support import make_edition, make_entries, quick_user


def test_save_profile_refuses_person_holding_entry(run):
    """Someone who manages a business with an entry in the edition cannot become its judge."""
    edition_id, category_id = run(make_edition())
    _, businesses = run(make_entries(edition_id, category_id, 1))
    organizer = quick_user(run, "org@example.com", "organizer")
    owner = quick_user(run, "owner@example.com", "entrant")
    run(BusinessMember.insert(BusinessMember(business=businesses[0], user=owner.id)))
    with pytest.raises(ValidationError) as refused:
        run(judges.save_profile(organizer, edition_id, owner.id, capacity=10))
    assert set(refused.value.errors) == {"user"}
    assert run(JudgeProfile.count()) == 0


def test_staff_members_of_business_finds_judges_and_organizers(run):
    """A business managed by the edition's judge or organizer is flagged; others are not."""
    edition_id, category_id = run(make_edition())
    _, businesses = run(make_entries(edition_id, category_id, 3))
    organizer = quick_user(run, "org@example.com", "organizer")
    judge = quick_user(run, "judge@example.com")
    plain = quick_user(run, "plain@example.com", "entrant")
    run(judges.save_profile(organizer, edition_id, judge.id))
    for business, user in zip(businesses, (organizer, judge, plain), strict=True):
        run(BusinessMember.insert(BusinessMember(business=business, user=user.id)))
    flagged = [run(judges.staff_members_of_business(edition_id, b)) for b in businesses]
    assert flagged == [{organizer.id}, {judge.id}, set()]


def test_save_profile_validates_capacity_and_expertise(run):
    """Negative capacity and a category of another edition are refused, per field."""
    edition_id, _ = run(make_edition())
    organizer = quick_user(run, "org@example.com", "organizer")
    judge = quick_user(run, "judge@example.com")
    with pytest.raises(ValidationError) as refused:
        run(judges.save_profile(organizer, edition_id, judge.id, capacity=-1, expertise=[9999]))
    assert set(refused.value.errors) == {"capacity", "expertise"}


def test_save_profile_appoints_judge_with_audited_grant(run):
    """A new judge's grant is written with its account-history row naming the organizer."""
    edition_id, _ = run(make_edition())
    organizer = quick_user(run, "org@example.com", "organizer")
    judge = quick_user(run, "newjudge@example.com", "entrant")
    run(judges.save_profile(organizer, edition_id, judge.id, capacity=5))
    grants = run(
        RoleGrant.select(RoleGrant.role, RoleGrant.edition_id).where(RoleGrant.user == judge.id)
    )
    assert {"role": "judge", "edition_id": edition_id} in grants
    history = run(
        AccountChange.select(AccountChange.actor, AccountChange.event, AccountChange.role).where(
            AccountChange.user == judge.id
        )
    )
    assert {"actor": organizer.id, "event": "grant", "role": "judge"} in history
    run(judges.save_profile(organizer, edition_id, judge.id, capacity=6))  # an edit: no new grant
    assert run(AccountChange.count().where(AccountChange.user == judge.id)) == len(history)
