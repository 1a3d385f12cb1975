"""Bulk import of paper entries: report first, all-or-nothing, no duplicates; exports; templates."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from pathlib import Path

from openpyxl import load_workbook

from awards.intake.tables import Business, Declaration, Entry
from tests.awards.helpers import csrf_token, post_form
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)

DATA = Path(__file__).parents[1] / "data"
HEADER = (
    "business_name,owner_name,nib,phone,district,sector,address,year_founded,employees,"
    "capital,turnover,category,product_name,description,price,channel,markets,website,"
    "launched_on,menu"
)
GOOD_ROWS = [
    "Keripik Tempe Bu Sri,Sri Wahyuni,9120001234567,0812-3300-1122,Blimbing,kuliner,"
    "Jl. Sanan 12,2015,4,Rp 150.000.000,Rp 600.000.000,kuliner,,,,,,,,Keripik tempe pedas",
    "Batik Celaket,Ahmad Fauzi,9120001234568,0341-551234,Klojen,fashion,Jl. Celaket 3,2010,12,"
    "2.000.000.000,4.500.000.000,fashion-kriya,Batik tulis motif Teplok,"
    "Batik tulis pewarna alami khas Malang.,450000,both,malang;jatim,batikcelaket.id,"
    "17/08/2023,",
    "Kopi Dampit Mas Eko,Eko Prasetyo,9120009876543,+62 813 4455 6677,Kedungkandang,kuliner,"
    "Jl. Mayjen Sungkono 8,2019,2,80000000,300000000,kuliner,,,,,,,,Kopi robusta Dampit",
]


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _upload(client, edition_id: int, content: bytes, name: str = "paper.csv"):
    return client.post(
        f"/organizer/editions/{edition_id}/import",
        files={"file": (name, content, "text/csv")},
        data={"_csrf_token": csrf_token(client)},
    )


def _token(html: str) -> str:
    marker = 'name="token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _import(client, edition_id: int, content: bytes):
    report = _upload(client, edition_id, content)
    assert report.status_code == 200, report.text[-1500:]
    return post_form(
        client, f"/organizer/editions/{edition_id}/import/confirm", {"token": _token(report.text)}
    )


def test_import_with_one_bad_row_writes_nothing_and_reports_the_row(app, client, run):
    """The fixture file's row 3 has an 11-digit NIB: the report names row 3 and column nib,
    offers no confirmation, and no business or entry is stored."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    content = (DATA / "paper_entries_one_bad_row.csv").read_bytes()

    response = _upload(client, edition["id"], content)

    assert response.status_code == 422
    assert "<td>3</td><td>nib</td>" in response.text
    assert 'name="token"' not in response.text
    assert run(Entry.count().run()) == 0
    assert run(Business.count().run()) == 0


def test_import_confirmed_creates_entries_businesses_and_declarations(app, client, run):
    """After the report, the confirmation imports every row as a submitted paper entry with a
    receipt number, its business, declaration and size class."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    report = _upload(client, edition["id"], _csv(*GOOD_ROWS))
    assert run(Entry.count().run()) == 0
    confirm = post_form(
        client,
        f"/organizer/editions/{edition['id']}/import/confirm",
        {"token": _token(report.text)},
    )

    assert confirm.status_code == 303
    rows = run(Entry.select().output(load_json=True).order_by(Entry.id).run())
    assert [r["business_name"] for r in rows] == [
        "Keripik Tempe Bu Sri",
        "Batik Celaket",
        "Kopi Dampit Mas Eko",
    ]
    assert {r["status"] for r in rows} == {"submitted"}
    assert {r["source"] for r in rows} == {"import"}
    assert [r["receipt_number"] for r in rows] == [
        "MLG26-KUL-000001",
        "MLG26-FKR-000002",
        "MLG26-KUL-000003",
    ]
    assert rows[1]["answers"]["markets"] == ["malang", "jatim"]
    assert rows[1]["size_class"] == "small"
    assert run(Declaration.count().run()) == 3


def test_reimport_creates_no_duplicates(app, client, run):
    """Importing the same rows again (even re-spelled) reports them as already imported and
    creates nothing new."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _import(client, edition["id"], _csv(*GOOD_ROWS))
    respelled = GOOD_ROWS[0].replace("0812-3300-1122", "+6281233001122")

    second = _upload(client, edition["id"], _csv(respelled, *GOOD_ROWS[1:]))

    assert second.status_code == 200
    assert "0 new, 3 already imported" in second.text or "0 baru, 3 sudah" in second.text
    assert 'name="token"' not in second.text
    assert run(Entry.count().run()) == 3
    assert run(Business.count().run()) == 3


def test_import_reuses_an_existing_business(app, client, run):
    """A row whose NIB belongs to a registered business attaches the entry to that business
    and keeps its profile."""
    edition = make_edition(run)
    existing = make_business(run, "9120001234567", "Keripik Tempe Bu Sri (daring)")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    _import(client, edition["id"], _csv(GOOD_ROWS[0]))

    entry = run(Entry.select().first().run())
    assert entry["business"] == existing
    assert entry["business_name"] == "Keripik Tempe Bu Sri (daring)"
    assert run(Business.count().run()) == 1


def test_import_respects_the_entry_limit_across_imports(app, client, run):
    """A business already holding its one kuliner entry gets a row error naming the category."""
    edition = make_edition(run)
    kuliner = categories(run, edition["id"])["kuliner"]
    make_entry(run, edition, kuliner, make_business(run, "9120001234567"))
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = _upload(client, edition["id"], _csv(GOOD_ROWS[0]))

    assert response.status_code == 422
    assert "<td>2</td><td>category</td>" in response.text
    assert run(Entry.count().run()) == 1


def test_template_downloads_list_the_form_columns(app, client, run):
    """The CSV and XLSX templates carry the business columns, the category and every non-file
    question of the edition's forms."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    csv_template = client.get(f"/organizer/editions/{edition['id']}/template/csv")
    xlsx_template = client.get(f"/organizer/editions/{edition['id']}/template/xlsx")

    header = next(csv.reader(io.StringIO(csv_template.content.decode("utf-8-sig"))))
    assert header[:3] == ["business_name", "owner_name", "nib"]
    assert {"category", "product_name", "channel", "menu"} <= set(header)
    assert "photos" not in header
    assert "attachment" in csv_template.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx_template.content), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == header


def test_exports_contain_the_answers_as_columns(app, client, run):
    """CSV and XLSX exports have one row per entry and one column per question."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _import(client, edition["id"], _csv(*GOOD_ROWS))

    exported = client.get(f"/organizer/editions/{edition['id']}/export/csv")
    xlsx = client.get(f"/organizer/editions/{edition['id']}/export/xlsx")

    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    batik = next(r for r in rows if r["Nama usaha"] == "Batik Celaket")
    assert batik["Nama produk"] == "Batik tulis motif Teplok"
    assert batik["Pasar"] == "Malang; Jatim"
    assert batik["Nomor tanda terima"] == "MLG26-FKR-000002"
    assert (batik["Skala usaha"], batik["Sektor"], batik["Status"]) == (
        "kecil",
        "Fashion",
        "Terkirim",
    )
    assert (batik["Sumber"], batik["Pemeriksaan"], batik["Alasan pemeriksaan"]) == (
        "Formulir kertas, diimpor",
        "Menunggu verifikasi",
        "",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", batik["Waktu dibuat"])
    assert batik["Waktu diubah"] == batik["Waktu dibuat"]
    kopi = next(r for r in rows if r["NIB (Nomor Induk Berusaha)"] == "9120009876543")
    assert kopi["Menu andalan"] == "Kopi robusta Dampit"
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(rows[0].keys())
    assert len(values) == 4


def test_exported_file_imports_as_already_imported(app, client, run):
    """An export of imported entries, uploaded again, adds nothing (same dedup keys)."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _import(client, edition["id"], _csv(*GOOD_ROWS))
    exported = client.get(f"/organizer/editions/{edition['id']}/export/xlsx").content

    response = client.post(
        f"/organizer/editions/{edition['id']}/import",
        files={"file": ("export.xlsx", exported, "application/octet-stream")},
        data={"_csrf_token": csrf_token(client)},
    )

    assert response.status_code == 200, response.text[-2000:]
    assert 'name="token"' not in response.text
    assert run(Entry.count().run()) == 3


def test_confirm_with_unknown_token_imports_nothing(app, client, run):
    """A forged or expired token redirects back to the upload form; nothing is written."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = post_form(
        client,
        f"/organizer/editions/{edition['id']}/import/confirm",
        {"token": "../../../../etc/passwd"},
    )

    assert response.status_code == 303
    assert response.headers["location"].endswith("/import")
    assert run(Entry.count().run()) == 0


def test_import_and_export_refused_for_other_editions(app, client, run):
    """An organizer of another edition gets 404 on its import, template and export."""
    edition = make_edition(run, "malang-2026")
    other = make_edition(run, "batu-2026")
    organizer(app, run, client, "panitia@batu.example.org", other["id"])

    upload = _upload(client, edition["id"], _csv(*GOOD_ROWS))
    template = client.get(f"/organizer/editions/{edition['id']}/template/csv")
    export = client.get(f"/organizer/editions/{edition['id']}/export/csv")

    assert (upload.status_code, template.status_code, export.status_code) == (404, 404, 404)
    assert run(Entry.count().run()) == 0


def test_upload_deletes_import_files_older_than_a_day(app, client, run):
    """A new upload deletes kept files older than 24 h; younger ones and the new file stay."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    folder = app.state.settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "1-1-stale.csv"
    recent = folder / "1-1-recent.csv"
    for path, age in ((stale, 25 * 3600), (recent, 23 * 3600)):
        path.write_bytes(b"x")
        moment = time.time() - age
        os.utime(path, (moment, moment))

    response = _upload(client, edition["id"], _csv(*GOOD_ROWS))

    assert response.status_code == 200
    assert not stale.exists()
    assert recent.exists()
    assert len(list(folder.iterdir())) == 2


def test_confirmed_import_deletes_its_kept_file(app, client, run):
    """After the confirmed import the uploaded file is gone from the imports folder."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    folder = app.state.settings.data_dir / "imports"

    response = _import(client, edition["id"], _csv(*GOOD_ROWS))

    assert response.status_code == 303
    assert list(folder.iterdir()) == []


def test_import_report_is_in_the_page_language(app, client, run):
    """Row errors of the import report are shown in Indonesian on the Indonesian page."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    otomotif = GOOD_ROWS[0].replace(",kuliner,,,,,,,,", ",otomotif,,,,,,,,")
    menu_in_fashion = GOOD_ROWS[1].replace("17/08/2023,", "17/08/2023,Rawon")

    response = _upload(client, edition["id"], _csv(otomotif, menu_in_fashion))

    assert response.status_code == 422
    assert "Kategori tidak dikenal; pilih salah satu dari: fashion-kriya" in response.text
    assert "Kolom ini milik formulir kategori lain." in response.text
    assert "Unknown category" not in response.text


def test_import_accepts_the_category_name(app, client, run):
    """A row whose category cell holds the category's display name imports under its slug."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    named = GOOD_ROWS[0].replace(",kuliner,,,,,,,,", ", KULINER ,,,,,,,,")

    response = _import(client, edition["id"], _csv(named))

    assert response.status_code == 303
    kuliner = categories(run, edition["id"])["kuliner"]["id"]
    assert run(Entry.select(Entry.category).run()) == [{"category": kuliner}]


def test_template_xlsx_has_an_indonesian_guide_sheet(app, client, run):
    """The XLSX template's second sheet, Petunjuk, explains every column in Indonesian."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    content = client.get(f"/organizer/editions/{edition['id']}/template/xlsx").content

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["Entries", "Petunjuk"]
    rows = {r[0]: r for r in workbook["Petunjuk"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Kolom"][:3] == ("Kolom", "Kategori", "Wajib")
    assert rows["nib"][1:3] == ("semua", "ya")
    assert rows["menu"][1:3] == ("Kuliner", "ya")
    assert rows["markets"][4] == "malang = Malang; jatim = Jatim; nasional = Nasional"
    assert "dipisahkan dengan ';'" in rows["markets"][5]


def test_import_page_offers_a_csv_template_per_category(app, client, run):
    """The import page links one CSV template per category, holding only its questions; an
    unknown category is 404."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    base = f"/organizer/editions/{edition['id']}/template/csv"

    page = client.get(f"/organizer/editions/{edition['id']}/import").text
    kuliner = client.get(base, params={"category": "kuliner"})
    missing = client.get(base, params={"category": "otomotif"})

    assert f'href="{base}?category=kuliner"' in page
    assert f'href="{base}?category=fashion-kriya"' in page
    header = next(csv.reader(io.StringIO(kuliner.content.decode("utf-8-sig"))))
    assert header[-2:] == ["category", "menu"]
    assert "product_name" not in header
    assert "kuliner-template.csv" in kuliner.headers["content-disposition"]
    assert missing.status_code == 404


def test_export_follows_the_page_language_with_a_data_dictionary(app, client, run):
    """After switching to English the XLSX export has English headers and names ("Submitted",
    "small"), ISO times with +07:00, and a "Data dictionary" sheet with a row per column."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _import(client, edition["id"], _csv(*GOOD_ROWS))
    post_form(client, "/language", {"language": "en", "next": "/"})

    xlsx = client.get(f"/organizer/editions/{edition['id']}/export/xlsx")

    workbook = load_workbook(io.BytesIO(xlsx.content))
    entries, dictionary = workbook.worksheets
    header = [cell.value for cell in entries[1]]
    batik = next(
        dict(zip(header, row, strict=True))
        for row in entries.iter_rows(min_row=2, values_only=True)
        if row[header.index("Business name")] == "Batik Celaket"
    )
    assert (entries.title, dictionary.title) == ("Entries", "Data dictionary")
    assert (batik["Status"], batik["Size class"], batik["Source"]) == (
        "Submitted",
        "small",
        "Paper entry, imported",
    )
    assert batik["Created at"].endswith("+07:00")
    assert dictionary.max_row == len(header) + 1
