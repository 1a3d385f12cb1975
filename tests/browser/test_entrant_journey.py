"""The entrant's walk in a real browser: sign up, the emailed confirmation link, business
profile, size declaration, category, entry form with a photo, submit, receipt (Indonesian UI,
at 360 and 1280 px)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.awards.helpers import confirm_token_from, outbox_messages
from tests.browser.seed import PASSWORD, jpeg_bytes, open_edition
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser


def confirmation_link(outbox: Path, address: str) -> str:
    """The confirmation link mailed to ``address`` (the mail goes out after the response)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = [m for m in outbox_messages(outbox) if m["To"] == address]
        if mails:
            return f"/signup/confirm?token={confirm_token_from(mails[-1])}"
        time.sleep(0.1)
    raise AssertionError(f"no confirmation mail to {address} in {outbox}")


def test_entrant_journey_signs_up_and_submits_an_entry_with_a_photo(
    tab: Tab, live_server: LiveServer
):
    """A new visitor reaches a receipt number for a Kuliner entry with a photo, every page on
    the way free of console errors and sideways scrolling."""
    open_edition(live_server)
    page = tab.page

    tab.goto("/")
    tab.follow(page.get_by_role("navigation").get_by_role("link", name=t("Sign up")))
    page.get_by_label(t("Name (person or business)")).fill("Sri Wahyuni")
    page.get_by_label(t("Email")).fill("sri@keripiktempe.example.id")
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Sign up")))
    assert tab.path == "/signup/sent", tab.path
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email"))

    link = confirmation_link(live_server.settings.outbox_dir, "sri@keripiktempe.example.id")
    tab.goto(link)
    tab.follow(page.get_by_role("button", name=t("Confirm and log in")))

    if not tab.path.startswith("/business/new"):
        tab.follow(page.get_by_role("link", name=t("Create the business profile")))
    page.get_by_label(t("Business name")).fill("Keripik Tempe Bu Sri")
    page.get_by_label(t("Owner's name")).fill("Sri Wahyuni")
    page.get_by_label(t("NIB (Nomor Induk Berusaha)")).fill("1234567890123")
    page.get_by_label(t("Phone / WhatsApp")).fill("0812-3456-7890")
    page.get_by_label(t("Address")).fill("Jl. Sanan 12, Blimbing")
    page.get_by_label(t("District (kecamatan)")).select_option("Blimbing")
    page.get_by_label(t("Sector")).select_option("kuliner")
    page.get_by_label(t("Year founded")).fill("2015")
    page.get_by_label(t("Number of employees")).fill("4")
    tab.follow(page.get_by_role("button", name=t("Save the profile")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Keripik Tempe Bu Sri")

    tab.follow(page.get_by_role("link", name=t("Declare capital and turnover")))
    page.get_by_label(t("Business capital (Rp)")).fill("150.000.000")
    page.get_by_label(t("Annual turnover (Rp)")).fill("600.000.000")
    tab.follow(page.get_by_role("button", name=t("Save and see my size class")))

    assert tab.path.startswith("/entries/new"), tab.path
    expect(page.get_by_role("heading", name="Kuliner")).to_be_visible()
    tab.follow(page.get_by_role("button", name=t("Enter this category")))

    assert re.fullmatch(r"/entries/\d+/edit", tab.path), tab.path
    page.get_by_label("Nama produk").fill("Keripik Tempe Sanan")
    page.get_by_label("Deskripsi produk").fill("Keripik tempe tipis dan renyah dari Sanan.")
    page.get_by_label("Foto produk").set_input_files(
        {"name": "keripik.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    tab.follow(page.get_by_role("button", name=t("Submit the entry")))

    assert re.fullmatch(r"/entries/\d+", tab.path), tab.path
    receipt = page.locator(".receipt-box .receipt")
    expect(receipt).to_have_text(re.compile(r"\S*KUL\S*"))
    receipt_number = receipt.inner_text()
    expect(page.get_by_role("img", name="keripik.jpg")).to_be_visible()
    tab.follow(page.get_by_role("main").get_by_role("link", name=t("My entries")))
    expect(page.locator(".receipt")).to_have_text(receipt_number)
