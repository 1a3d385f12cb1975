"""Query budgets: every page and API list makes a bounded number of queries, and the number does
not grow with the rows shown (no query per row). Helpers: ``tests/awards/querycount.py``."""

from __future__ import annotations

import pytest

from awards.demo import generate_demo
from awards.demo.load import load_demo_edition
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Category,
    Edition,
    Entry,
    EntryStatus,
)
from tests.awards.helpers import login
from tests.awards.querycount import QueryLog, count_queries, grow_edition, page_query_counts

DEMO_PASSWORD = "anugerah-demo-2026"
ORGANIZER = "panitia@anugerah.example.org"

#: The most queries a page or API list may make (the session's user, 1 query, included).
BUDGET = 6
#: Hot pages held below BUDGET, with their current count. The organizer's entry (page and API):
#: the user; the entry with its business, category, edition and screener; its attachments; its
#: notes. The organizer's entry list: the user; the edition with its counts and categories; the
#: page's rows. The edition's settings: the user, the edition, its categories, its status log.
#: The business profile: the user; the business with the viewer's role; the open editions; the
#: business's declarations in them; its logo. Its members: the user; the business with the
#: viewer's role; the members; the open invitations.
UNDER_BUDGET = {
    "/organizer/editions/{edition}": 4,
    "/organizer/editions/{edition}/entries": 3,
    "/organizer/entries/{entry}": 4,
    "/api/v1/editions/{edition}/entries/{entry}": 4,
    "/business/{business}": 5,
    "/business/{business}/members": 4,
}


def _over_budget(counts: dict[str, int], templates: dict[str, str]) -> dict[str, int]:
    """The URLs (as templates) whose count exceeds their budget."""
    return {
        template: counts[url]
        for template, url in templates.items()
        if counts[url] > UNDER_BUDGET.get(template, BUDGET)
    }


@pytest.fixture
def demo(settings, run):
    """A small demo edition (8 businesses) in this test's database; returns useful ids."""
    result = run(load_demo_edition(settings, generate_demo(seed=7, n_businesses=8)))
    edition = run(Edition.select(Edition.id).first())
    entrant = next(line.email for line in result.accounts if line.role == "entrant")

    async def ids() -> dict:
        from awards.accounts.tables import User

        user = await User.select(User.id).where(User.email == entrant).first()
        business = await (
            BusinessMember.select(BusinessMember.business)
            .where(BusinessMember.user == user["id"])
            .first()
        )
        entry = await (
            Entry.select(Entry.id)
            .where(
                (Entry.business == business["business"])
                & (Entry.status != EntryStatus.withdrawn.value)
            )
            .first()
        )
        attached = await Attachment.select(Attachment.entry).where(Attachment.entry.is_not_null())
        return {
            "user": user["id"],
            "edition": edition["id"],
            "entrant": entrant,
            "business": business["business"],
            "entry": entry["id"],
            "attached_entry": attached[0]["entry"],
        }

    return run(ids())


ORGANIZER_PAGES = (
    "/organizer",
    "/organizer/editions/{edition}",
    "/organizer/editions/{edition}/entries",
    "/organizer/editions/{edition}/entries?status=submitted",
    "/organizer/entries/{entry}",
    "/api/v1/editions",
    "/api/v1/editions/{edition}/categories",
    "/api/v1/editions/{edition}/entries",
    "/api/v1/editions/{edition}/entries/{entry}",
)
ENTRANT_PAGES = (
    "/",
    "/account",
    "/entries",
    "/business",
    "/business/{business}",
    "/business/{business}/members",
    "/entries/{entry}",
    "/entries/{entry}/edit",
    "/entries/new?business={business}",
    "/api/v1/auth/me",
    "/api/v1/entries/mine",
    "/api/v1/businesses/mine",
    "/api/v1/entries/{entry}",
    "/api/v1/entries/{entry}/attachments",
    "/api/v1/businesses/{business}/categories",
)


def _urls(templates: tuple[str, ...], **ids: int) -> dict[str, str]:
    return {template: template.format(**ids) for template in templates}


def test_organizer_pages_stay_within_budget_as_entries_grow(client, run, demo):
    """Organizer pages and API lists stay within budget and make the same number of queries
    with twice the businesses and entries."""
    login(client, ORGANIZER, DEMO_PASSWORD)
    urls = _urls(ORGANIZER_PAGES, edition=demo["edition"], entry=demo["attached_entry"])
    before = page_query_counts(client, urls.values())

    grow_edition(run, demo["edition"], copies=1)
    after = page_query_counts(client, urls.values())

    assert after == before
    assert _over_budget(after, urls) == {}


def test_entrant_pages_stay_within_budget_as_businesses_grow(client, run, demo):
    """Entrant pages and API lists stay within budget and make the same number of queries
    when the entrant manages twice as many businesses (and entries)."""
    login(client, demo["entrant"], DEMO_PASSWORD)
    urls = _urls(ENTRANT_PAGES, entry=demo["entry"], business=demo["business"])
    grow_edition(run, demo["edition"], copies=1)  # several businesses: /business lists them
    before = page_query_counts(client, urls.values())

    grow_edition(run, demo["edition"], copies=1)
    after = page_query_counts(client, urls.values())

    assert run(BusinessMember.count().where(BusinessMember.user == demo["user"])) == 4
    assert after == before
    assert _over_budget(after, urls) == {}


#: Statements of an entry save (``PATCH /api/v1/entries/{id}``, the session's user included;
#: transaction control not counted): the user; in the write transaction the entry joined with
#: its business, category, edition (held by the write), declaration, the category's other
#: entries and the membership check; its attachments; and the UPDATE returning the row.
SAVE_BUDGET = 4


def _save(client, entry_id: int) -> tuple[int, QueryLog]:
    answers = client.get(f"/api/v1/entries/{entry_id}").json()["answers"]
    with count_queries() as queries:
        response = client.patch(
            f"/api/v1/entries/{entry_id}",
            json={"answers": answers},
            headers={"x-csrftoken": client.cookies["csrftoken"]},
        )
    assert response.status_code == 200, response.text
    return len(queries), queries


def test_entry_save_stays_within_budget_as_entries_and_attachments_grow(client, run, demo):
    """Saving a draft and a submitted entry stays within budget, and costs the same with four
    times the businesses, entries and attachments and more attachments on the entry itself."""
    login(client, demo["entrant"], DEMO_PASSWORD)
    entry = demo["entry"]
    status = run(Entry.select(Entry.status).where(Entry.id == entry).first())["status"]
    before = {status: _save(client, entry)}
    other = "draft" if status == "submitted" else "submitted"
    run(Entry.update({Entry.status: other}).where(Entry.id == entry))
    before[other] = _save(client, entry)

    grow_edition(run, demo["edition"], copies=3)
    run(_add_attachments(entry, 5))
    after = {other: _save(client, entry)}
    run(Entry.update({Entry.status: status}).where(Entry.id == entry))
    after[status] = _save(client, entry)

    assert {k: n for k, (n, _q) in after.items()} == {k: n for k, (n, _q) in before.items()}
    for n, queries in after.values():
        assert n <= SAVE_BUDGET, str(queries)


async def _add_attachments(entry_id: int, count: int) -> None:
    """``count`` more attachment rows on the entry, in a field the form no longer has (files
    of a removed question stay attached; they do not count against any field's limit)."""
    row = await Entry.select(Entry.business).where(Entry.id == entry_id).first()
    for n in range(count):
        await Attachment.insert(
            Attachment(
                entry=entry_id,
                business=row["business"],
                field_key="old_question",
                storage_key=f"budget-test-{entry_id}-{n}",
                original_name=f"old-{n}.pdf",
                content_type="application/pdf",
                size_bytes=100,
                sha256="0" * 64,
            )
        )


def test_category_choice_stays_within_budget_as_categories_and_editions_grow(client, run, demo):
    """Choosing a category (the page and the API) and the business profile make the same number
    of queries with a second open edition and three more categories: eligibility, declarations
    and entry counts are read once for all categories, not once per category or edition."""
    login(client, demo["entrant"], DEMO_PASSWORD)
    business = demo["business"]
    api = f"/api/v1/businesses/{business}/categories"
    urls = [f"/entries/new?business={business}", api, f"/business/{business}"]
    before = page_query_counts(client, urls)
    choices = len(client.get(api).json())

    run(_add_open_edition_like(demo["edition"]))
    run(_add_categories(demo["edition"], 3))
    after = page_query_counts(client, urls)

    assert choices > 0
    assert len(client.get(api).json()) == 2 * choices + 3
    assert after == before
    assert _over_budget(after, {url: url for url in urls}) == {}


async def _add_categories(edition_id: int, count: int) -> None:
    """``count`` copies of the edition's first category, under new slugs and codes."""
    row = (
        await Category.select().where(Category.edition == edition_id).order_by(Category.id).first()
    )
    for n in range(count):
        fields = {key: value for key, value in row.items() if key != "id"}
        await Category.insert(Category(**fields | {"slug": f"copy-{n}", "code": f"CP{n}"}))


async def _add_open_edition_like(edition_id: int) -> None:
    """A second edition with the same dates, status and categories as ``edition_id``."""
    row = await Edition.select().where(Edition.id == edition_id).first()
    fields = {key: value for key, value in row.items() if key != "id"}
    inserted = await Edition.insert(Edition(**fields | {"slug": f"{row['slug']}-copy"}))
    categories = await Category.select().where(Category.edition == edition_id)
    for category in categories:
        fields = {key: value for key, value in category.items() if key != "id"}
        await Category.insert(Category(**fields | {"edition": inserted[0]["id"]}))


def test_public_pages_stay_within_budget(client, demo):
    """The landing, login and health pages of an anonymous visitor make few queries."""
    counts = page_query_counts(client, ["/", "/login", "/signup", "/healthz"])

    assert {url: n for url, n in counts.items() if n > 3} == {}


def test_admin_user_list_stays_within_budget_as_users_grow(client, make_user):
    """The admin's user list makes the same number of queries for 3 and for 12 users."""
    make_user("root@example.id", "correct-horse-42", "admin")
    login(client, "root@example.id")
    for n in range(2):
        make_user(f"user{n}@example.id")
    with count_queries() as few:
        assert client.get("/admin/users").status_code == 200
    for n in range(2, 11):
        make_user(f"user{n}@example.id")
    with count_queries() as many:
        assert client.get("/admin/users").status_code == 200

    assert len(many) == len(few), (str(few), str(many))
    assert len(many) <= BUDGET, str(many)


def test_grow_edition_multiplies_the_rows(run, demo):
    """The growth helper really adds businesses and entries (so the checks above compare)."""
    before = run(Entry.count()), run(Business.count())
    grow_edition(run, demo["edition"], copies=2)
    assert (run(Entry.count()), run(Business.count())) == (before[0] * 3, before[1] * 3)


def test_current_user_loads_with_one_query_and_current_grants(app, client, run, make_user):
    """The session's user and all its grants come from one query; a grant added or removed
    shows on the next request, and a user without grants loads with none."""
    from awards.accounts.tables import RoleGrant, User

    user = make_user("grants@example.id", "correct-horse-42", "entrant", "judge")
    with count_queries() as queries:
        loaded = run(app.state.accounts.load(user.id, session_version=user.session_version))
    assert len(queries) == 1, str(queries)
    assert loaded.roles == {"entrant", "judge"}

    run(app.state.accounts.grant_role(user.id, "organizer", edition_id=3))
    assert run(app.state.accounts.load(user.id)).grants == {
        ("entrant", None),
        ("judge", None),
        ("organizer", 3),
    }
    run(RoleGrant.delete().where(RoleGrant.user == user.id))
    assert run(app.state.accounts.load(user.id)).grants == frozenset()
    assert run(app.state.accounts.load(user.id, session_version=user.session_version + 1)) is None
    run(User.update({User.is_active: False}).where(User.id == user.id))
    assert run(app.state.accounts.load(user.id)) is None
