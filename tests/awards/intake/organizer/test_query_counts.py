"""Query budget of the organizer's category page: a fixed number of statements (within the
budget of ``tests/awards/page_budgets.py``) however many entries, fields and criteria."""

from __future__ import annotations

from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import Category
from tests.awards.intake.organizer_support import (
    FASHION_FORM,
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
    sample_nib,
)
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import page_query_counts


def test_category_page_makes_the_same_queries_as_entries_fields_and_criteria_grow(app, client, run):
    """The category page reads the category, its edition and its entry count once each: the
    same statements, within budget, with five entries, a full form and a rubric."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/categories/{category['id']}"
    before = page_query_counts(client, [url])

    for n in range(5):
        make_entry(run, edition, category, make_business(run, sample_nib(n), f"Usaha {n}"))
    changes = {Category.form: FASHION_FORM.to_dict(), Category.rubric: DEMO_RUBRIC.to_dict()}
    run(Category.update(changes).where(Category.id == category["id"]))
    after = page_query_counts(client, [url])
    page = client.get(url)

    assert FASHION_FORM.ordered[0].label.id in page.text
    assert f"/criteria/{DEMO_RUBRIC.criteria[0].key}" in page.text
    assert after == before
    assert after[url] <= page_budget("/organizer/categories/{category_id:int}")
