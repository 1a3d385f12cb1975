"""Round set-up pages: create a round in the edition's time zone, edit it while draft, choose
its entrants (all, top N / top P% of the previous round by the engine, a manual list with a
reason per entry), mark anchors, and the guards."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from awards.accounts.tables import RoleGrant
from awards.scoring import results
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import RoundEntry, ScoringRound
from tests.awards.helpers import login, post_form
from tests.awards.scoring.support import build_world, make_edition, quick_user
from tests.awards.scoring.test_results import _score_everything

NEW = "/organizer/scoring/editions/{}/rounds/new"
ROUND = {
    "kind": "shortlist",
    "name": "Seleksi tahap 2",
    "opens_at": "2026-12-01T08:00",
    "closes_at": "2026-12-10T17:00",
    "judges_per_entry": "2",
    "method": "calibrated",
    "blind": "yes",
    "blind_fields": "business_name",
    "lock_minutes": "30",
    "spread_threshold": "20",
}


def _entrants(run, round_id):
    return run(
        RoundEntry.select(RoundEntry.entry, RoundEntry.source, RoundEntry.reason, RoundEntry.anchor)
        .where(RoundEntry.round == round_id)
        .order_by(RoundEntry.entry)
    )


def test_round_created_from_the_page_in_the_edition_time_zone(client, run):
    """The new-round form stores a draft round, its times read in Asia/Jakarta (UTC+7), and
    leads to the round's set-up page."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    form = client.get(NEW.format(world.edition_id))
    response = post_form(
        client, NEW.format(world.edition_id), {**ROUND, "category": str(world.category_id)}
    )
    row = run(ScoringRound.select().where(ScoringRound.kind == "shortlist").first())
    setup = client.get(response.headers["location"])
    assert 'type="datetime-local"' in form.text
    assert response.status_code == 303
    assert response.headers["location"] == f"/organizer/scoring/rounds/{row['id']}/setup"
    assert row["opens_at"] == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert row["closes_at"] == datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    assert (row["status"], row["judges_per_entry"], row["lock_minutes"]) == ("draft", 2, 30)
    assert (row["blind"], row["spread_threshold"], row["name"]) == (True, 20.0, "Seleksi tahap 2")
    assert setup.status_code == 200
    assert "2026-12-01T08:00" in setup.text


def test_round_form_keeps_every_chosen_blind_field(client, run):
    """Several hidden identity fields ticked on the form are all stored."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    data = {**ROUND, "category": str(world.category_id), "blind_fields": ["nib", "phone", "logo"]}
    response = client.post(
        NEW.format(world.edition_id),
        data={**data, "_csrf_token": client.cookies.get("csrftoken")},
        follow_redirects=False,
    )
    row = run(
        ScoringRound.select(ScoringRound.blind_fields)
        .where(ScoringRound.kind == "shortlist")
        .output(load_json=True)
        .first()
    )
    assert response.status_code == 303
    assert row["blind_fields"] == ["nib", "phone", "logo"]


def test_round_form_errors_sit_beside_fields(client, run):
    """Close before open, an unreadable number and a category of another edition are refused
    (422) beside their fields; no round is created."""
    world = build_world(run, open_round=False, assign=False)
    _other, other_category = run(make_edition())
    login(client, world.organizer.email)
    bad_times = post_form(
        client,
        NEW.format(world.edition_id),
        {**ROUND, "category": str(world.category_id), "closes_at": "2026-11-30T08:00"},
    )
    bad_number = post_form(
        client,
        NEW.format(world.edition_id),
        {**ROUND, "category": str(world.category_id), "judges_per_entry": "dua"},
    )
    bad_category = post_form(
        client, NEW.format(world.edition_id), {**ROUND, "category": str(other_category)}
    )
    assert bad_times.status_code == 422
    assert 'id="error-closes_at"' in bad_times.text
    assert 'id="error-judges_per_entry"' in bad_number.text
    assert 'id="error-category"' in bad_category.text
    assert run(ScoringRound.count()) == 1


def test_draft_round_edited_then_refused_once_open(client, run):
    """A draft round's settings change from its set-up page; once open they are refused."""
    world = build_world(run, open_round=False, assign=False)
    url = f"/organizer/scoring/rounds/{world.round_id}/setup"
    login(client, world.organizer.email)
    edited = post_form(client, url, {**ROUND, "kind": "screening", "judges_per_entry": "3"})
    k = run(ScoringRound.select(ScoringRound.judges_per_entry).first())["judges_per_entry"]
    run(rounds.open_round(world.organizer, world.round_id))
    refused = post_form(client, url, {**ROUND, "kind": "screening", "judges_per_entry": "1"})
    assert edited.status_code == 303
    assert k == 3
    assert refused.status_code == 409
    assert run(ScoringRound.select(ScoringRound.judges_per_entry).first())["judges_per_entry"] == 3


def test_entrants_all_then_anchors_excluded_from_awards(client, run):
    """ "All eligible" takes every entry; chosen anchors are marked and kept out of awards."""
    world = build_world(run, n_entries=5, open_round=False, assign=False)
    base = f"/organizer/scoring/rounds/{world.round_id}"
    run(RoundEntry.delete().where(RoundEntry.round == world.round_id))
    login(client, world.organizer.email)
    chosen = post_form(client, base + "/entrants", {"mode": "all"})
    anchored = client.post(
        base + "/anchors",
        data={
            "anchors": [str(world.entries[0]), str(world.entries[2])],
            "anchors_excluded": "yes",
            "_csrf_token": client.cookies.get("csrftoken"),
        },
        follow_redirects=False,
    )
    rows = run(
        RoundEntry.select(RoundEntry.entry, RoundEntry.anchor, RoundEntry.anchor_excluded)
        .where(RoundEntry.round == world.round_id)
        .order_by(RoundEntry.entry)
    )
    assert chosen.status_code == 303
    assert anchored.status_code == 303
    assert [(r["anchor"], r["anchor_excluded"]) for r in rows] == [
        (True, True),
        (False, False),
        (True, True),
        (False, False),
        (False, False),
    ]


def test_manual_entrants_need_a_reason_for_each_entry(client, run):
    """A manual list refuses an entry without a reason (named beside the field); with a shared
    reason filling the gap each entry keeps its own reason."""
    world = build_world(run, n_entries=4, open_round=False, assign=False)
    url = f"/organizer/scoring/rounds/{world.round_id}/entrants"
    first, second = world.entries[:2]
    token = {"_csrf_token": ""}
    login(client, world.organizer.email)
    token["_csrf_token"] = client.cookies.get("csrftoken")
    data = {"mode": "manual", "entries": [str(first), str(second)], f"reason.{first}": "Juara lalu"}
    refused = client.post(url, data={**data, **token}, follow_redirects=False)
    accepted = client.post(
        url, data={**data, "reason": "Usulan dinas", **token}, follow_redirects=False
    )
    assert refused.status_code == 422
    assert 'id="error-reason"' in refused.text
    assert f"#{second}" in refused.text
    page = client.get(f"/organizer/scoring/rounds/{world.round_id}/setup")
    assert accepted.status_code == 303
    assert "Usulan dinas" in page.text
    assert _entrants(run, world.round_id) == [
        {"entry": first, "source": "manual", "reason": "Juara lalu", "anchor": False},
        {"entry": second, "source": "manual", "reason": "Usulan dinas", "anchor": False},
    ]


def test_shortlist_from_the_page_takes_the_engine_top_n_and_top_percent(client, run):
    """A shortlist created on the page with the screening as previous round takes the first N,
    then the first P%, of the engine's ranking."""
    world = build_world(run, n_entries=8, n_judges=4, k=3)
    _score_everything(run, world)
    ranked = sorted(
        run(results.round_analysis(world.organizer, world.round_id)).entries, key=lambda e: e.rank
    )
    login(client, world.organizer.email)
    created = post_form(
        client,
        NEW.format(world.edition_id),
        {**ROUND, "category": str(world.category_id), "previous": str(world.round_id)},
    )
    setup = created.headers["location"]
    shortlist = int(setup.split("/")[-2])
    top_n = post_form(
        client, f"/organizer/scoring/rounds/{shortlist}/entrants", {"mode": "top_n", "count": "3"}
    )
    by_n = [r["entry"] for r in _entrants(run, shortlist)]
    post_form(
        client,
        f"/organizer/scoring/rounds/{shortlist}/entrants",
        {"mode": "top_p", "percent": "50"},
    )
    by_p = [r["entry"] for r in _entrants(run, shortlist)]
    assert top_n.status_code == 303
    assert by_n == sorted(int(e.entry) for e in ranked[:3])
    assert by_p == sorted(int(e.entry) for e in ranked[:4])


def test_top_n_without_previous_round_is_refused_beside_the_choice(client, run):
    """Ranking from a previous round needs one: the error sits beside the mode."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    response = post_form(
        client,
        f"/organizer/scoring/rounds/{world.round_id}/entrants",
        {"mode": "top_n", "count": "2"},
    )
    assert response.status_code == 422
    assert 'id="error-mode"' in response.text


def test_round_setup_pages_guarded(client, run):
    """A judge gets 403; an organizer of another edition 404, and creates or changes nothing."""
    world = build_world(run, open_round=False, assign=False)
    other_edition, _c = run(make_edition())
    other = quick_user(run, "lain@example.com")
    run(RoleGrant.insert(RoleGrant(user=other.id, role="organizer", edition_id=other_edition)))
    setup = f"/organizer/scoring/rounds/{world.round_id}/setup"
    login(client, world.judges[0].email)
    as_judge = [client.get(NEW.format(world.edition_id)).status_code, client.get(setup).status_code]
    client.cookies.clear()
    login(client, other.email)
    as_other = [
        client.get(NEW.format(world.edition_id)).status_code,
        client.get(setup).status_code,
        post_form(
            client, NEW.format(world.edition_id), {**ROUND, "category": str(world.category_id)}
        ).status_code,
        post_form(client, setup, {**ROUND, "kind": "screening"}).status_code,
        post_form(client, setup.replace("setup", "entrants"), {"mode": "all"}).status_code,
    ]
    assert as_judge == [403, 403]
    assert as_other == [404, 404, 404, 404, 404]
    assert run(ScoringRound.count()) == 1


def test_round_form_stores_moderation_and_comment_thresholds(client, run):
    """The new-round form and the draft edit store the residual threshold and the required-comment
    thresholds; empty comment thresholds mean no requirement and an empty residual 2.5."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    thresholds = {"residual_threshold": "3,5", "comment_below": "2", "comment_above": "9"}
    created = post_form(
        client,
        NEW.format(world.edition_id),
        {**ROUND, "category": str(world.category_id), **thresholds},
    )
    columns = (
        ScoringRound.residual_threshold,
        ScoringRound.comment_below,
        ScoringRound.comment_above,
    )
    row = run(ScoringRound.select(*columns).where(ScoringRound.kind == "shortlist").first())
    setup = client.get(created.headers["location"])
    edited = post_form(
        client,
        created.headers["location"],
        {**ROUND, "residual_threshold": "", "comment_below": "", "comment_above": ""},
    )
    after = run(ScoringRound.select(*columns).where(ScoringRound.kind == "shortlist").first())
    assert created.status_code == 303
    assert row == {"residual_threshold": 3.5, "comment_below": 2, "comment_above": 9}
    assert re.search(r'name="comment_above" type="number"\s+value="9"', setup.text)
    assert edited.status_code == 303
    assert after == {"residual_threshold": 2.5, "comment_below": None, "comment_above": None}


def test_round_form_threshold_errors_sit_beside_fields(client, run):
    """A residual threshold not above 0, an unreadable comment threshold and a lower threshold
    above the upper one are refused (422) beside their fields; nothing is stored."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    base = {**ROUND, "category": str(world.category_id)}
    url = NEW.format(world.edition_id)
    bad_residual = post_form(client, url, {**base, "residual_threshold": "0"})
    bad_word = post_form(client, url, {**base, "comment_below": "dua"})
    crossed = post_form(client, url, {**base, "comment_below": "8", "comment_above": "3"})
    huge = post_form(client, url, {**base, "comment_above": "99999999999"})
    edit = post_form(
        client,
        f"/organizer/scoring/rounds/{world.round_id}/setup",
        {**ROUND, "kind": "screening", "residual_threshold": "-1"},
    )
    assert [r.status_code for r in (bad_residual, bad_word, crossed, huge, edit)] == [422] * 5
    assert 'id="error-residual_threshold"' in bad_residual.text
    assert 'id="error-comment_below"' in bad_word.text
    assert 'id="error-comment_above"' in crossed.text
    assert 'id="error-comment_above"' in huge.text
    assert 'id="error-residual_threshold"' in edit.text
    assert run(ScoringRound.count()) == 1
    stored = run(ScoringRound.select(ScoringRound.residual_threshold).first())
    assert stored["residual_threshold"] == 2.5


def test_manual_entrants_searched_and_paged_keep_choices_across_pages(client, run):
    """The manual list shows 50 eligible entries a page, finds by number or business name, and
    setting the entries from one page keeps (with their reasons) those chosen on another."""
    from awards.intake.tables import Entry
    from awards.scoring.rounds import setup as round_setup

    world = build_world(run, n_entries=55, n_judges=2, open_round=False, assign=False)
    url = f"/organizer/scoring/rounds/{world.round_id}/setup"
    first, last = world.entries[0], world.entries[-1]
    named = run(Entry.select(Entry.business_name).where(Entry.id == last).first())
    login(client, world.organizer.email)
    page_one = client.get(url)
    page_two = client.get(f"{url}?page=2")
    by_number = client.get(f"{url}?q=%23{first}")
    by_name = client.get(f"{url}?q={named['business_name'].upper()}")
    nothing = client.get(f"{url}?q=tidak-ada-usaha-ini")
    base = {"mode": "manual", "page": "1", "q": ""}
    chosen_one = post_form(
        client,
        f"/organizer/scoring/rounds/{world.round_id}/entrants",
        {
            **base,
            "shown": [str(e) for e in world.entries[:50]],
            "entries": str(first),
            f"reason.{first}": "Juara tahun lalu",
        },
    )
    chosen_two = post_form(
        client,
        f"/organizer/scoring/rounds/{world.round_id}/entrants",
        {
            **base,
            "page": "2",
            "shown": [str(e) for e in world.entries[50:]],
            "entries": str(last),
            f"reason.{last}": "Rekomendasi dinas",
        },
    )
    after = client.get(url)
    assert f'value="{first}"' in page_one.text
    assert f'name="entries" value="{last}"' not in page_one.text
    assert f'name="entries" value="{last}"' in page_two.text
    assert page_one.text.count('name="shown"') == round_setup.PAGE_SIZE
    assert by_number.text.count('name="shown"') == 1
    assert f'name="shown" value="{last}"' in by_name.text
    assert "Tidak ada karya memenuhi syarat yang cocok" in nothing.text
    assert (chosen_one.status_code, chosen_two.status_code) == (303, 303)
    assert [(r["entry"], r["source"], r["reason"]) for r in _entrants(run, world.round_id)] == [
        (first, "manual", "Juara tahun lalu"),
        (last, "manual", "Rekomendasi dinas"),
    ]
    assert re.search(rf'name="entries" value="{first}" checked', after.text)
    assert 'value="Juara tahun lalu"' in after.text


def test_manual_entrants_search_for_a_wildcard_matches_only_names_containing_it(client, run):
    """A search for ``%`` or ``_`` shows the eligible entries whose name contains it, not all."""
    from awards.intake.tables import Entry

    world = build_world(run, n_entries=3, n_judges=2, open_round=False, assign=False)
    marked = world.entries[1]
    run(Entry.update({Entry.business_name: "Kopi 100% Arabika"}).where(Entry.id == marked))
    url = f"/organizer/scoring/rounds/{world.round_id}/setup"
    login(client, world.organizer.email)

    everything = client.get(url)
    percent = client.get(url, params={"q": "%"})
    underscore = client.get(url, params={"q": "_"})

    assert everything.text.count('name="shown"') == 3
    assert re.findall(r'name="shown" value="(\d+)"', percent.text) == [str(marked)]
    assert underscore.text.count('name="shown"') == 0
    assert "Tidak ada karya memenuhi syarat yang cocok" in underscore.text


def test_manual_entrants_unchecked_on_its_page_leave_the_round(client, run):
    """Unticking an entry on the page where it is shown removes it; choices elsewhere stay."""
    world = build_world(run, n_entries=55, n_judges=2, open_round=False, assign=False)
    first, second, last = world.entries[0], world.entries[1], world.entries[-1]
    url = f"/organizer/scoring/rounds/{world.round_id}/entrants"
    login(client, world.organizer.email)
    reasons = {f"reason.{e}": "Pilihan" for e in (first, second, last)}
    post_form(
        client,
        url,
        {"mode": "manual", "entries": [str(first), str(second), str(last)], **reasons},
    )
    unticked = post_form(
        client,
        url,
        {
            "mode": "manual",
            "shown": [str(e) for e in world.entries[:50]],
            "entries": str(second),
            f"reason.{second}": "Pilihan",
        },
    )
    assert unticked.status_code == 303, unticked.text[-3000:]
    assert [r["entry"] for r in _entrants(run, world.round_id)] == [second, last]


def test_manual_entrants_from_a_page_drop_entries_no_longer_eligible(client, run):
    """A manual entrant screened out since is not kept from another page (no refusal)."""
    from awards.intake.tables import Entry, Screening

    world = build_world(run, n_entries=55, n_judges=2, open_round=False, assign=False)
    first, last = world.entries[0], world.entries[-1]
    url = f"/organizer/scoring/rounds/{world.round_id}/entrants"
    login(client, world.organizer.email)
    post_form(client, url, {"mode": "manual", "entries": [str(last)], "reason": "Pilihan"})
    run(Entry.update({Entry.screening: Screening.ineligible.value}).where(Entry.id == last))
    response = post_form(
        client,
        url,
        {
            "mode": "manual",
            "shown": [str(e) for e in world.entries[:50]],
            "entries": str(first),
            f"reason.{first}": "Pilihan",
        },
    )
    assert response.status_code == 303
    assert [r["entry"] for r in _entrants(run, world.round_id)] == [first]
