"""Panel set-up pages: judge profiles, conflicts entered by the organizer, recusal with a
reason, conflict suggestions, and the guards."""

from __future__ import annotations

from awards.accounts.tables import RoleGrant
from awards.intake.tables import Business
from awards.scoring.panel import setup as panel_setup
from awards.scoring.tables import Assignment, Conflict, JudgeProfile, ScoreSheet
from tests.awards.helpers import login, post_form
from tests.awards.scoring.support import build_world, make_edition, panel, quick_user

BASE = "/organizer/scoring/editions/{}"


def test_judges_page_lists_profiles_and_saves_an_edit(client, run):
    """The judges page lists each judge; the edit form stores affiliation, expertise, capacity."""
    world = build_world(run, assign=False)
    judge = world.judges[0]
    login(client, world.organizer.email)
    page = client.get(BASE.format(world.edition_id) + "/judges")
    form = client.get(BASE.format(world.edition_id) + f"/judges/{judge.id}")
    saved = post_form(
        client,
        BASE.format(world.edition_id) + f"/judges/{judge.id}",
        {
            "affiliation": "Universitas Brawijaya",
            "expertise": str(world.category_id),
            "capacity": "5",
        },
    )
    profile = run(
        JudgeProfile.select(JudgeProfile.affiliation, JudgeProfile.expertise, JudgeProfile.capacity)
        .where(JudgeProfile.user == judge.id)
        .output(load_json=True)
        .first()
    )
    assert all(j.email in page.text for j in world.judges)
    assert 'name="capacity"' in form.text
    assert saved.status_code == 303
    assert profile == {
        "affiliation": "Universitas Brawijaya",
        "expertise": [world.category_id],
        "capacity": 5,
    }


def test_judge_profile_errors_sit_beside_fields(client, run):
    """A capacity that is not a whole number and a category of another edition are refused
    (422) with messages next to their fields; nothing changes."""
    world = build_world(run, assign=False)
    _other_edition, other_category = run(make_edition())
    url = BASE.format(world.edition_id) + f"/judges/{world.judges[0].id}"
    login(client, world.organizer.email)
    bad_capacity = post_form(client, url, {"affiliation": "X", "capacity": "lima"})
    bad_category = post_form(client, url, {"expertise": str(other_category), "capacity": "3"})
    assert bad_capacity.status_code == 422
    assert 'id="error-capacity"' in bad_capacity.text
    assert bad_category.status_code == 422
    assert 'id="error-expertise"' in bad_category.text
    assert run(JudgeProfile.select(JudgeProfile.capacity).first())["capacity"] is None


def test_judge_page_is_404_for_someone_who_does_not_judge(client, run):
    """Editing the profile of a user who is not a judge of the edition is 404."""
    world = build_world(run, assign=False)
    outsider = quick_user(run, "luar@example.com")
    login(client, world.organizer.email)
    assert client.get(BASE.format(world.edition_id) + f"/judges/{outsider.id}").status_code == 404


def test_conflict_entered_on_the_page_reassigns_and_keeps_k(client, run):
    """A conflict entered by entry number withdraws the judge's assignment; the entry keeps k."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    entry = world.entries[0]
    judge = run(panel(world.round_id, entry))[0]
    login(client, world.organizer.email)
    response = post_form(
        client,
        BASE.format(world.edition_id) + "/conflicts",
        {"judge": str(judge), "business": f"#{entry}", "reason": "Saudara pemilik"},
    )
    page = client.get(BASE.format(world.edition_id) + "/conflicts")
    assert response.status_code == 303
    assert run(Conflict.select(Conflict.judge, Conflict.source, Conflict.reason).first()) == {
        "judge": judge,
        "source": "organizer",
        "reason": "Saudara pemilik",
    }
    assert judge not in run(panel(world.round_id, entry))
    assert len(run(panel(world.round_id, entry))) == 2
    assert "Saudara pemilik" in page.text


def test_conflict_form_errors_beside_fields(client, run):
    """An unknown entry and a missing reason are refused (422) beside their fields."""
    world = build_world(run, assign=False)
    login(client, world.organizer.email)
    response = post_form(
        client,
        BASE.format(world.edition_id) + "/conflicts",
        {"judge": str(world.judges[0].id), "business": "999999", "reason": ""},
    )
    assert response.status_code == 422
    assert 'id="error-business"' in response.text
    assert 'id="error-reason"' in response.text
    assert run(Conflict.count()) == 0


def test_conflict_by_nib_names_the_business(client, run):
    """The business may be named by its NIB."""
    world = build_world(run, assign=False)
    nib = run(Business.select(Business.nib).where(Business.id == world.businesses[1]).first())
    login(client, world.organizer.email)
    post_form(
        client,
        BASE.format(world.edition_id) + "/conflicts",
        {"judge": str(world.judges[1].id), "business": nib["nib"], "reason": "Mantan karyawan"},
    )
    assert run(Conflict.select(Conflict.business).first())["business"] == world.businesses[1]


def test_recusal_needs_confirmation_then_sets_aside_and_keeps_k(client, run):
    """Without the confirmation box nothing happens (422); with it the judge's assignment is
    withdrawn, a recused sheet records the reason and the entry keeps k judges."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    entry = world.entries[1]
    judge = run(panel(world.round_id, entry))[0]
    url = BASE.format(world.edition_id) + "/conflicts/recuse"
    data = {"round": str(world.round_id), "entry": str(entry), "judge": str(judge)}
    login(client, world.organizer.email)
    unconfirmed = post_form(client, url, {**data, "reason": "Pernah membina usaha ini"})
    before = run(panel(world.round_id, entry))
    done = post_form(client, url, {**data, "reason": "Pernah membina usaha ini", "confirm": "yes"})
    page = client.get(BASE.format(world.edition_id) + "/conflicts")
    sheet = run(ScoreSheet.select(ScoreSheet.status, ScoreSheet.reason).first())
    assert unconfirmed.status_code == 422
    assert 'id="error-recuse_confirm"' in unconfirmed.text
    assert judge in before
    assert done.status_code == 303
    assert judge not in run(panel(world.round_id, entry))
    assert len(run(panel(world.round_id, entry))) == 2
    assert sheet == {"status": "recused", "reason": "Pernah membina usaha ini"}
    assert "Pernah membina usaha ini" in page.text


def test_recusal_of_an_unassigned_judge_is_refused_beside_the_field(client, run):
    """Recusing a judge who is not on the entry's panel says so next to the entry field."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    entry = world.entries[2]
    outsider = next(j.id for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    login(client, world.organizer.email)
    response = post_form(
        client,
        BASE.format(world.edition_id) + "/conflicts/recuse",
        {
            "round": str(world.round_id),
            "entry": str(entry),
            "judge": str(outsider),
            "reason": "x",
            "confirm": "yes",
        },
    )
    assert response.status_code == 422
    assert 'id="error-recuse_entry"' in response.text
    assert run(Assignment.count().where(Assignment.status == "withdrawn")) == 0


def test_suggestions_list_same_district_without_blocking(client, run):
    """A judge whose affiliation names the entrants' district is suggested for every entry;
    once recorded as a conflict the pair leaves the list; nothing is blocked."""
    world = build_world(run, n_entries=3, n_judges=2, k=1, assign=False)
    judge = world.judges[0]
    run(
        JudgeProfile.update({JudgeProfile.affiliation: "Dinas Koperasi Kecamatan Klojen"}).where(
            JudgeProfile.user == judge.id
        )
    )
    before = run(panel_setup.suggestions(world.organizer, world.edition_id))
    run(
        panel_setup.add_edition_conflict(
            world.organizer, world.edition_id, judge.id, str(world.entries[0]), "Satu kantor"
        )
    )
    after = run(panel_setup.suggestions(world.organizer, world.edition_id))
    login(client, world.organizer.email)
    page = client.get(BASE.format(world.edition_id) + "/conflicts")
    assert [(s["judge"], s["entry"], s["why"]) for s in before] == [
        (judge.id, e, ["district"]) for e in world.entries
    ]
    assert [s["entry"] for s in after] == world.entries[1:]
    assert "Klojen" in page.text


def test_setup_pages_guarded(client, run):
    """A judge gets 403; an organizer of another edition 404 and changes nothing."""
    world = build_world(run, assign=False)
    other_edition, _c = run(make_edition())
    other = quick_user(run, "lain@example.com")
    run(RoleGrant.insert(RoleGrant(user=other.id, role="organizer", edition_id=other_edition)))
    base = BASE.format(world.edition_id)
    login(client, world.judges[0].email)
    as_judge = [
        client.get(base + "/judges").status_code,
        client.get(base + "/conflicts").status_code,
    ]
    client.cookies.clear()
    login(client, other.email)
    as_other = [
        client.get(base + "/judges").status_code,
        client.get(base + "/conflicts").status_code,
        client.get(base + f"/judges/{world.judges[0].id}").status_code,
        post_form(
            client,
            base + "/conflicts",
            {"judge": str(world.judges[0].id), "business": str(world.entries[0]), "reason": "x"},
        ).status_code,
    ]
    assert as_judge == [403, 403]
    assert as_other == [404, 404, 404, 404]
    assert run(Conflict.count()) == 0


def test_judge_granted_on_the_accounts_page_gets_a_profile_here(client, run):
    """A user granted the judge role for the edition without a profile is listed apart, and
    saving the form creates the profile."""
    world = build_world(run, assign=False)
    granted = quick_user(run, "baru@example.com")
    run(RoleGrant.insert(RoleGrant(user=granted.id, role="judge", edition_id=world.edition_id)))
    login(client, world.organizer.email)
    page = client.get(BASE.format(world.edition_id) + "/judges")
    form = client.get(BASE.format(world.edition_id) + f"/judges/{granted.id}")
    saved = post_form(
        client,
        BASE.format(world.edition_id) + f"/judges/{granted.id}",
        {"affiliation": "Politeknik Negeri Malang", "capacity": ""},
    )
    assert "Juri tanpa profil" in page.text
    assert "baru@example.com" in page.text
    assert form.status_code == 200
    assert saved.status_code == 303
    assert run(JudgeProfile.count().where(JudgeProfile.user == granted.id)) == 1


def test_setup_pages_read_in_english(client, run):
    """With English chosen, the set-up pages show their English text."""
    world = build_world(run, n_entries=3, n_judges=2, k=1)
    base = BASE.format(world.edition_id)
    login(client, world.organizer.email)
    post_form(client, "/language", {"language": "en", "next": "/"})
    pages = {
        base + "/judges": "Assigned entries",
        base + "/invitations": "Send invitations",
        base + "/conflicts": "Suggested for review",
        base + "/rounds/new": "Kind of round",
        f"/organizer/scoring/rounds/{world.round_id}/setup": "Anchor entries",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.text, url


def test_recuse_links_from_the_round_panel_prefill_the_recusal_form(client, run):
    """The panel's progress per entry links each entry to the recusal form with the round and
    entry filled in; the entry's judges page links each active judge with the judge too; the
    prefilled form then recuses that judge and keeps k."""
    import re

    world = build_world(run, n_entries=6, n_judges=4, k=2)
    entry = world.entries[1]
    judge = run(panel(world.round_id, entry))[0]
    login(client, world.organizer.email)
    round_page = client.get(f"/organizer/scoring/rounds/{world.round_id}")
    judges_page = client.get(f"/organizer/scoring/rounds/{world.round_id}/entries/{entry}/judges")
    conflicts = BASE.format(world.edition_id) + "/conflicts"
    entry_link = f"{conflicts}?round={world.round_id}&amp;entry={entry}#recuse-title"
    judge_link = f"{conflicts}?round={world.round_id}&amp;entry={entry}&amp;judge={judge}"
    form = client.get(f"{conflicts}?round={world.round_id}&entry={entry}&judge={judge}")
    junk = client.get(f"{conflicts}?round=x&entry=%22%3E&judge=")
    recused = post_form(
        client,
        conflicts + "/recuse",
        {
            "round": str(world.round_id),
            "entry": str(entry),
            "judge": str(judge),
            "reason": "Kerabat pemilik",
            "confirm": "yes",
        },
    )
    assert entry_link in round_page.text
    assert judge_link in judges_page.text
    assert re.search(rf'<option value="{world.round_id}" selected', form.text)
    assert f'name="entry" type="number" inputmode="numeric" value="{entry}"' in form.text
    assert re.search(rf'<option value="{judge}" selected', form.text)
    assert junk.status_code == 200
    assert 'name="entry" type="number" inputmode="numeric" value=""' in junk.text
    assert recused.status_code == 303
    assert judge not in run(panel(world.round_id, entry))
    assert len(run(panel(world.round_id, entry))) == 2
