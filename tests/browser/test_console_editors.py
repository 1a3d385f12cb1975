"""The organizer's rubric editor and form builder in a real browser (Indonesian UI, at 360 and
1280 px): a refused criterion shows its error beside the field with the typed values kept, the
saved rubric lists each weight as a share of the total, field types are named; no page scrolls
sideways or logs a console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.seed import ORGANIZER_EMAIL, PASSWORD, open_edition
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser


def _refused(tab: Tab, button) -> None:
    """Submit a form the server refuses with 422 (the page comes back with the errors):
    Chromium logs every 4xx document as a console error, expected here and only here."""
    with tab.page.expect_navigation(wait_until="load") as navigation:
        button.click()
    assert navigation.value is not None
    assert navigation.value.status == 422
    tab.problems = [p for p in tab.problems if "status of 422" not in p]
    tab.check()


def test_rubric_editor_error_sits_beside_the_field_and_weights_show_shares(
    tab: Tab, live_server: LiveServer
):
    """Scale 7-3 is refused beside "Nilai tertinggi" with 7, 3 and the label still typed; two
    criteria of weights 30 and 10 then read 75 % and 25 % of the total 40."""
    edition = open_edition(live_server)
    page = tab.page
    tab.goto("/login")
    page.get_by_label(t("Email")).fill(ORGANIZER_EMAIL)
    page.get_by_label(t("Password")).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Log in")))

    tab.goto(f"/organizer/categories/{edition.category_id}")
    expect(page.get_by_role("cell", name=t("Short text"), exact=True)).to_be_visible()
    new = page.locator("#new-criterion + form")
    new.get_by_label(t("Key")).fill("rasa")
    new.get_by_label(t("Label (Bahasa Indonesia)")).fill("Rasa")
    new.get_by_label(t("Weight (1 to %(max)d)") % {"max": 1000}).fill("30")
    new.get_by_label(t("Lowest score")).fill("7")
    new.get_by_label(t("Highest score")).fill("3")
    _refused(tab, new.get_by_role("button", name=t("Add criterion")))

    new = page.locator("#new-criterion + form")
    highest = new.get_by_label(t("Highest score"))
    expect(highest).to_have_value("3")
    expect(highest).to_have_attribute("aria-invalid", "true")
    expect(highest.locator("xpath=..").locator(".field-error")).to_have_text(
        t("The scale maximum must exceed the minimum.")
    )
    expect(new.get_by_label(t("Lowest score"))).to_have_value("7")
    expect(new.get_by_label(t("Label (Bahasa Indonesia)"))).to_have_value("Rasa")

    highest.fill("10")
    new.get_by_label(t("Lowest score")).fill("1")
    tab.follow(new.get_by_role("button", name=t("Add criterion")))
    new = page.locator("#new-criterion + form")
    new.get_by_label(t("Key")).fill("kemasan")
    new.get_by_label(t("Label (Bahasa Indonesia)")).fill("Kemasan")
    new.get_by_label(t("Weight (1 to %(max)d)") % {"max": 1000}).fill("10")
    tab.follow(new.get_by_role("button", name=t("Add criterion")))

    expect(page.locator('[data-share="rasa"]')).to_have_text("75 %")
    expect(page.locator('[data-share="kemasan"]')).to_have_text("25 %")
    expect(page.locator('[data-weight="total"]')).to_have_text("40")
