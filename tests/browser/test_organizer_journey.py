"""The organizer's walk in a real browser: log in, find an entry, screen it eligible and email
the decision, import paper entries from the category's CSV template (check, then confirm),
export the entries as XLSX (Indonesian UI, at 360 and 1280 px)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.awards.helpers import outbox_messages
from tests.browser.seed import ORGANIZER_EMAIL, PASSWORD, open_edition, submit_entry
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser

PAPER_ENTRIES = [
    {"business_name": "Kopi Dampit Mas Eko", "owner_name": "Eko Prasetyo",
     "nib": "9120009876543", "phone": "+62 813 4455 6677", "district": "Kedungkandang",
     "sector": "kuliner", "address": "Jl. Mayjen Sungkono 8", "year_founded": "2019",
     "employees": "2", "capital": "80000000", "turnover": "300000000", "category": "kuliner",
     "product_name": "Kopi robusta Dampit", "description": "Kopi bubuk sangrai sedang."},
    {"business_name": "Sambal Bu Tin", "owner_name": "Sutinah", "nib": "9120001234568",
     "phone": "0341-551234", "district": "Klojen", "sector": "kuliner",
     "address": "Jl. Celaket 3", "year_founded": "2010", "employees": "6",
     "capital": "150000000", "turnover": "900000000", "category": "KUL",
     "product_name": "Sambal bawang", "description": "Sambal bawang pedas dalam botol."},
]  # fmt: skip


def _paper_entries_csv(template: bytes) -> bytes:
    """The downloaded template's header with one row per paper entry (blank where unknown)."""
    header = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert {"business_name", "nib", "category", "product_name"} <= set(header), header
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="")
    writer.writeheader()
    for row in PAPER_ENTRIES:
        writer.writerow({key: value for key, value in row.items() if key in header})
    return buffer.getvalue().encode("utf-8")


def _workbook_text(path: Path) -> str:
    workbook = load_workbook(path, read_only=True)
    try:
        return " ".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    finally:
        workbook.close()


def test_organizer_journey_screens_imports_and_exports(
    tab: Tab, live_server: LiveServer, tmp_path: Path
):
    """An organizer screens a submitted entry eligible and emails the decision, imports two
    paper entries after the check, and downloads an XLSX export that openpyxl opens and that
    lists all three entries; every page on the way is free of console errors and sideways
    scrolling."""
    edition = open_edition(live_server)
    receipt = submit_entry(live_server, edition, "Keripik Tempe Bu Sri", "1234567890123")
    page = tab.page

    tab.goto("/login")
    page.get_by_label(t("Email")).fill(ORGANIZER_EMAIL)
    page.get_by_label(t("Password")).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Log in")))

    tab.follow(page.get_by_role("navigation").get_by_role("link", name=t("Organizer console")))
    tab.follow(page.get_by_role("link", name="Anugerah UMKM Kota Malang 2026").first)
    edition_path = tab.path
    tab.follow(page.get_by_role("main").get_by_role("link", name=t("Entries"), exact=True).first)
    page.get_by_label(t("Search business name, receipt number or NIB")).fill("Tempe Bu Sri")
    tab.follow(page.get_by_role("button", name=t("Filter")))
    tab.follow(page.get_by_role("link", name=receipt))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Keripik Tempe Bu Sri")
    page.get_by_label(t("Eligible"), exact=True).check()
    tab.follow(page.get_by_role("button", name=t("Save decision")))
    mails_before = len(outbox_messages(live_server.settings.outbox_dir))
    tab.follow(page.get_by_role("button", name=t("Email the decision to the business")))
    expect(page.get_by_text(t("The business was emailed the decision."))).to_be_visible()
    assert len(outbox_messages(live_server.settings.outbox_dir)) == mails_before + 1
    tab.goto(f"/organizer/editions/{edition.id}/entries?q={receipt}")
    screening_cell = page.get_by_role("row").filter(has_text=receipt).get_by_role("cell").last
    expect(screening_cell).to_have_text(t("eligible"))

    tab.goto(edition_path)
    tab.follow(page.get_by_role("link", name=t("Import paper entries")).first)
    template = tab.download(page.get_by_role("link", name="Kuliner"))
    paper = _paper_entries_csv(Path(template.path()).read_bytes())
    page.get_by_label(t("CSV or XLSX file")).set_input_files(
        {"name": "paper-entries.csv", "mimeType": "text/csv", "buffer": paper}
    )
    tab.follow(page.get_by_role("button", name=t("Check the file")))
    expect(page.get_by_role("status").filter(has_text=re.compile(r"\b2\b"))).to_be_visible()
    tab.follow(page.get_by_role("button", name=re.compile(r"\b2\b")))
    tab.goto(f"/organizer/editions/{edition.id}/entries")
    for row in PAPER_ENTRIES:
        expect(page.get_by_role("row").filter(has_text=row["business_name"])).to_have_count(1)

    tab.goto(edition_path)
    export = tab.download(page.get_by_role("link", name=t("Export XLSX")).first)
    assert export.suggested_filename.endswith(".xlsx")
    saved = tmp_path / export.suggested_filename
    export.save_as(saved)
    text = _workbook_text(saved)
    for name in ("Keripik Tempe Bu Sri", *(row["business_name"] for row in PAPER_ENTRIES)):
        assert name in text
    assert receipt in text
