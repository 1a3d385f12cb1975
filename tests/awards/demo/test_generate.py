"""The seeded demo generator: determinism, uniqueness, spread, valid answers, decodable images."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
from collections import Counter
from datetime import UTC

import pytest
from PIL import Image

from awards.demo import (
    DEMO_PASSWORD,
    SIZE_CLASSES,
    DemoData,
    generate_demo,
    render_image,
    rubric_to_dict,
    size_thresholds_to_dict,
)

STATUSES = {"draft", "submitted", "withdrawn", "ineligible"}
DISTRICTS = {"Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru"}
HAS_INTAKE = importlib.util.find_spec("awards.intake.form.formspec") is not None


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(seed=2026, n_businesses=300)


def _form_problems(form: list[dict], answers: dict, images: int, final: bool) -> list[str]:
    """Independent check of answers against a form definition (required, type, limits)."""
    problems = []
    by_key = {field["key"]: field for field in form}
    problems += [f"{key}: not in form" for key in answers if key not in by_key]
    for key, field in by_key.items():
        value = answers.get(key)
        if value in (None, "", []):
            if final and field["required"]:
                problems.append(f"{key}: required")
            continue
        kind = field["type"]
        options = {option["key"] for option in field.get("options", [])}
        limit = field.get("max_length", field.get("max_chars"))
        if kind in ("short_text", "long_text") and not len(value) <= limit:
            problems.append(f"{key}: too long")
        elif kind == "number" and not (
            isinstance(value, int) and field["min_value"] <= value <= field["max_value"]
        ):
            problems.append(f"{key}: {value!r} out of range")
        elif kind == "single_choice" and value not in options:
            problems.append(f"{key}: {value!r} not an option")
        elif kind == "multiple_choice" and not set(value) <= options:
            problems.append(f"{key}: {value!r} not options")
        elif kind == "url" and not re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]+(/\S*)?", value):
            problems.append(f"{key}: {value!r} not a URL")
        elif kind == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            problems.append(f"{key}: {value!r} not a date")
        elif kind == "file" and not (len(value) == images and len(value) <= field["max_count"]):
            problems.append(f"{key}: {len(value)} files for {images} images")
    return problems


def test_generate_demo_same_seed_gives_equal_data():
    """Two runs with one seed are equal; another seed gives other businesses."""
    first = generate_demo(seed=7, n_businesses=120)
    second = generate_demo(seed=7, n_businesses=120)
    other = generate_demo(seed=8, n_businesses=120)
    assert first == second
    assert [b.nib for b in first.businesses] != [b.nib for b in other.businesses]


def test_generate_demo_identifiers_are_unique_and_well_formed(demo):
    """NIBs (13 digits), +62 8xx phones, e-mails, names, keys and receipts are all unique."""
    businesses, entries = demo.businesses, demo.entries
    receipts = [e.receipt_number for e in entries if e.receipt_number]
    columns = {
        "nib": [b.nib for b in businesses],
        "phone": [b.phone for b in businesses],
        "email": [b.owner_email for b in businesses],
        "name": [b.name for b in businesses],
        "key": [b.key for b in businesses],
        "entry": [e.key for e in entries],
        "receipt": receipts,
        "image": [spec.key for spec in demo.image_specs()],
    }
    assert {name: len(set(v)) for name, v in columns.items()} == {
        name: len(v) for name, v in columns.items()
    }
    assert all(re.fullmatch(r"[1-9]\d{12}", nib) for nib in columns["nib"])
    assert all(re.fullmatch(r"\+628\d{10}", phone) for phone in columns["phone"])
    assert all(re.fullmatch(r"MLG26-(KUL|FKR|DIG|AGR|JSP)-\d{6}", r) for r in receipts)
    assert len(businesses) == 300


def test_generate_demo_uses_only_reserved_email_domains(demo):
    """Every e-mail (owners and accounts) is on an RFC 2606 example domain."""
    emails = [b.owner_email for b in demo.businesses] + [a.email for a in demo.accounts]
    domains = {email.rsplit("@", 1)[1] for email in emails}
    assert all(re.fullmatch(r"([a-z]+\.)?example\.(com|net|org)", d) for d in domains)


def test_generate_demo_every_category_has_every_status(demo):
    """Each of the five categories has draft, submitted, withdrawn and ineligible entries."""
    seen = {c.slug: set() for c in demo.categories}
    for entry in demo.entries:
        seen[entry.category_slug].add(entry.status)
    assert seen == dict.fromkeys(seen, STATUSES)


def test_generate_demo_status_mix_is_realistic(demo):
    """About 65% submitted, 20% draft, 7% withdrawn and 8% ineligible overall."""
    counts = Counter(e.status for e in demo.entries)
    shares = {status: counts[status] / len(demo.entries) for status in STATUSES}
    expected = {"submitted": 0.65, "draft": 0.20, "withdrawn": 0.07, "ineligible": 0.08}
    assert all(abs(shares[s] - expected[s]) < 0.03 for s in STATUSES), shares


def test_generate_demo_small_run_still_covers_every_status():
    """With only 40 businesses every category still shows all four statuses."""
    demo = generate_demo(seed=1, n_businesses=40)
    per_category = {c.slug: set() for c in demo.categories}
    for entry in demo.entries:
        per_category[entry.category_slug].add(entry.status)
    assert per_category == dict.fromkeys(per_category, STATUSES)


def test_generate_demo_spreads_districts_and_size_classes(demo):
    """All five districts hold >= 10% of businesses; classes are ~70/22/8% micro/small/medium."""
    districts = Counter(b.district for b in demo.businesses)
    classes = Counter(b.size_class for b in demo.businesses)
    assert set(districts) == DISTRICTS
    assert min(districts.values()) >= 30
    assert classes == {"micro": 210, "small": 66, "medium": 24}


def test_generate_demo_declarations_fall_in_their_size_class(demo):
    """Capital and turnover both lie in the PP 7/2021 band of the business's class."""
    bounds, low = {}, (0, 0)
    for threshold in SIZE_CLASSES:
        bounds[threshold.key] = (low, (threshold.max_capital, threshold.max_turnover))
        low = (threshold.max_capital, threshold.max_turnover)
    outside = [
        b.key
        for b in demo.businesses
        if not (
            bounds[b.size_class][0][0] < b.declared_capital <= bounds[b.size_class][1][0]
            and bounds[b.size_class][0][1] < b.declared_turnover <= bounds[b.size_class][1][1]
        )
    ]
    assert outside == []
    assert size_thresholds_to_dict()["micro_capital_max"] == 1_000_000_000


def test_generate_demo_entries_respect_category_eligibility(demo):
    """Each entry's business has an allowed sector, and no business exceeds the entry limit."""
    categories = {c.slug: c for c in demo.categories}
    businesses = {b.key: b for b in demo.businesses}
    wrong_sector = [
        e.key
        for e in demo.entries
        if businesses[e.business_key].sector not in categories[e.category_slug].eligibility.sectors
    ]
    per_pair = Counter((e.business_key, e.category_slug) for e in demo.entries)
    over = [
        pair
        for pair, n in per_pair.items()
        if n > categories[pair[1]].eligibility.max_entries_per_business
    ]
    assert (wrong_sector, over) == ([], [])


def test_generate_demo_submitted_answers_satisfy_forms(demo):
    """Non-draft entries answer every required field within limits; drafts stay within limits."""
    forms = {c.slug: c.form for c in demo.categories}
    problems, incomplete_drafts = {}, 0
    for e in demo.entries:
        form, n_images = forms[e.category_slug], len(e.images)
        if found := _form_problems(form, e.answers, n_images, final=e.status != "draft"):
            problems[e.key] = found
        if e.status == "draft" and _form_problems(form, e.answers, n_images, final=True):
            incomplete_drafts += 1
    assert problems == {}
    assert incomplete_drafts > 0


@pytest.mark.skipif(not HAS_INTAKE, reason="awards.intake.form.formspec is not there yet")
def test_generate_demo_definitions_and_answers_pass_intake_validators(demo):
    """The intake FormSpec/Rubric/EligibilityRules accept the demo's definitions and answers."""
    from awards.intake.businesses.sizeclass import SizeThresholds, assess_size
    from awards.intake.editions.eligibility import EligibilityRules
    from awards.intake.form.formspec import FormSpec
    from awards.intake.form.rubric import Rubric

    specs = {c.slug: FormSpec.from_dict({"fields": c.form}) for c in demo.categories}
    definition_errors = [bool(spec.validate_definition()) for spec in specs.values()]
    rules = [EligibilityRules.from_dict(c.eligibility.to_dict()) for c in demo.categories]
    thresholds = SizeThresholds.from_dict(size_thresholds_to_dict())
    answer_errors = {}
    for entry in demo.entries:
        answers = dict(entry.answers)
        if "product_photos" in answers:
            answers["product_photos"] = [
                {"key": s.key, "content_type": s.content_type, "size": 50_000} for s in entry.images
            ]
        _, errors = specs[entry.category_slug].validate_answers(
            answers, final=entry.status != "draft"
        )
        if errors:
            answer_errors[entry.key] = errors
    classes = {
        b.key: assess_size(b.declared_capital, b.declared_turnover, thresholds)
        for b in demo.businesses
    }
    assert definition_errors == [False] * 5
    assert [r.validate() for r in rules if r.validate()] == []
    assert not Rubric.from_dict(rubric_to_dict(demo.rubric)).validate()
    assert answer_errors == {}
    assert {k: a.size_class.value for k, a in classes.items()} == {
        b.key: b.size_class for b in demo.businesses
    }


def test_generate_demo_timestamps_lie_in_the_intake_window(demo):
    """Timestamps are aware UTC, ordered, inside the intake window and before the demo's now."""
    opens, now = demo.edition.intake_opens_at, demo.now
    bad = []
    for e in demo.entries:
        steps = [e.created_at, e.submitted_at, e.withdrawn_at or e.screened_at]
        present = [t for t in steps if t is not None]
        in_window = all(t.tzinfo is UTC and opens <= t < now for t in [*present, e.updated_at])
        if e.status == "draft":
            last_change_ok = e.updated_at >= present[-1]
        else:
            last_change_ok = e.updated_at == present[-1]
        if not (in_window and present == sorted(present) and last_change_ok):
            bad.append(e.key)
    drafts = {e.key for e in demo.entries if e.status == "draft"}
    unsubmitted = {e.key for e in demo.entries if e.submitted_at is None}
    no_receipt = {e.key for e in demo.entries if e.receipt_number is None}
    assert bad == []
    assert drafts == unsubmitted == no_receipt
    assert opens < now < demo.edition.intake_closes_at
    assert demo.edition.status == "open"


def test_generate_demo_ineligible_entries_carry_a_reason(demo):
    """Exactly the ineligible entries have a reason and a screening time."""
    flagged = {e.key for e in demo.entries if e.ineligible_reason and e.screened_at}
    ineligible = {e.key for e in demo.entries if e.status == "ineligible"}
    assert flagged == ineligible


def test_generate_demo_accounts_cover_roles_and_link_entrants(demo):
    """One organizer, several judges, entrants logging in with their business owner's e-mail."""
    roles = Counter(a.role for a in demo.accounts)
    owners = {b.key: b.owner_email for b in demo.businesses}
    entrants = [a for a in demo.accounts if a.role == "entrant"]
    assert (roles["organizer"], roles["judge"] >= 3, roles["entrant"]) == (1, True, 5)
    assert all(owners[a.business_key] == a.email for a in entrants)
    assert len({a.email for a in demo.accounts}) == len(demo.accounts)
    assert {a.password for a in demo.accounts} == {DEMO_PASSWORD}


def test_generate_demo_rubric_follows_the_seed(demo):
    """Six criteria weighted 25/15/15/15/15/15, each with five level bands covering 1-10."""
    weights = [c.weight for c in demo.rubric]
    bands = {tuple((lv.min_score, lv.max_score) for lv in c.levels) for c in demo.rubric}
    assert weights == [25, 15, 15, 15, 15, 15]
    assert bands == {((1, 2), (3, 4), (5, 6), (7, 8), (9, 10))}
    assert all(c.rubric == demo.rubric for c in demo.categories)


def test_generate_demo_gives_images_to_every_submitted_entry(demo):
    """Every non-draft entry has 1-3 image specs; file answers name them in order."""
    counts = Counter(len(e.images) for e in demo.entries if e.status != "draft")
    mismatched = [
        e.key
        for e in demo.entries
        if e.answers.get("product_photos", []) != [spec.filename for spec in e.images]
    ]
    assert set(counts) == {1, 2, 3}
    assert mismatched == []


def test_generate_demo_rejects_no_businesses():
    """Asking for zero businesses is an error, not an empty demo."""
    with pytest.raises(ValueError, match="at least 1"):
        generate_demo(n_businesses=0)


def test_render_image_decodes_at_requested_size(demo):
    """Rendered JPEG and PNG photos decode with Pillow at the spec's size and format."""
    specs = demo.image_specs()
    jpeg = next(s for s in specs if s.format == "JPEG")
    png = dataclasses.replace(next(s for s in specs if s.format == "PNG"), width=320, height=240)
    decoded = [Image.open(io.BytesIO(render_image(spec))) for spec in (jpeg, png)]
    assert [(im.format, im.size) for im in decoded] == [("JPEG", (480, 360)), ("PNG", (320, 240))]


def test_render_image_draws_every_shape_deterministically(demo):
    """Each product shape renders, and one spec always gives the same bytes."""
    firsts = {s.shape: s for s in reversed(demo.image_specs())}
    rendered = {shape: render_image(spec) for shape, spec in firsts.items()}
    again = {shape: DemoData.render_image(spec) for shape, spec in firsts.items()}
    assert len(firsts) == 9
    assert rendered == again


def test_render_image_rejects_unknown_shape(demo):
    """A spec with an unknown shape is refused with the list of known shapes."""
    spec = dataclasses.replace(demo.image_specs()[0], shape="teapot")
    with pytest.raises(ValueError, match="unknown shape"):
        render_image(spec)


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_generate_demo_other_seeds_keep_invariants(seed):
    """For other seeds too: unique identifiers, all statuses per category, valid answers."""
    demo = generate_demo(seed=seed, n_businesses=60)
    forms = {c.slug: c.form for c in demo.categories}
    identifiers = [
        [b.nib for b in demo.businesses],
        [b.phone for b in demo.businesses],
        [b.owner_email for b in demo.businesses],
        [e.receipt_number for e in demo.entries if e.receipt_number],
    ]
    statuses = {c.slug: set() for c in demo.categories}
    problems = []
    for e in demo.entries:
        statuses[e.category_slug].add(e.status)
        final = e.status != "draft"
        problems += _form_problems(forms[e.category_slug], e.answers, len(e.images), final)
    assert [len(set(ids)) == len(ids) for ids in identifiers] == [True] * 4
    assert statuses == dict.fromkeys(statuses, STATUSES)
    assert problems == []


def test_generate_demo_large_run_keeps_names_and_contacts_unique():
    """3,000 businesses (past the easy name combinations) still get unique names and contacts."""
    demo = generate_demo(seed=3, n_businesses=3000)
    columns = [
        [b.name for b in demo.businesses],
        [b.owner_email for b in demo.businesses],
        [b.nib for b in demo.businesses],
        [b.phone for b in demo.businesses],
    ]
    assert [len(set(column)) for column in columns] == [3000] * 4


def _options_of(category, key: str) -> set[str]:
    [field] = [f for f in category.form if f["key"] == key]
    return {option["key"] for option in field["options"]}


def test_demo_forms_ask_each_category_for_its_own_certifications(demo):
    """Food permits (P-IRT, BPOM) are asked only of the food categories; fashion and crafts
    get SNI/trademark/halal, digital trademark/copyright/PSE, services CHSE/halal/licence."""
    by_slug = {c.slug: c for c in demo.categories}

    offered = {slug: _options_of(c, "certifications") for slug, c in by_slug.items()}

    assert offered == {
        "kuliner": {"pirt", "halal", "bpom", "haki_merek"},
        "agribisnis": {"pirt", "halal", "bpom", "haki_merek"},
        "fashion-kriya": {"sni", "haki_merek", "halal"},
        "kreatif-digital": {"haki_merek", "hak_cipta", "pse"},
        "jasa-pariwisata": {"chse", "halal", "izin_risiko", "haki_merek"},
    }


def test_demo_capacity_is_worded_in_each_category_unit(demo):
    """The monthly capacity question names the category's unit (packs, kg, pieces, projects
    or orders, customers), never a generic "unit"."""
    labels = {
        c.slug: next(f["label"]["id"] for f in c.form if f["key"] == "monthly_capacity")
        for c in demo.categories
    }

    assert labels == {
        "kuliner": "Kapasitas produksi per bulan (kemasan)",
        "agribisnis": "Kapasitas produksi per bulan (kg)",
        "fashion-kriya": "Kapasitas produksi per bulan (potong/buah)",
        "kreatif-digital": "Kapasitas per bulan (proyek atau pesanan)",
        "jasa-pariwisata": "Kapasitas layanan per bulan (pelanggan)",
    }


def test_demo_service_customers_do_not_exceed_capacity(demo):
    """A service entry's customers per month never exceed its monthly service capacity."""
    services = [
        e.answers
        for e in demo.entries
        if e.category_slug == "jasa-pariwisata"
        and {"customers_per_month", "monthly_capacity"} <= set(e.answers)
    ]

    assert services
    assert all(a["customers_per_month"] <= a["monthly_capacity"] for a in services)


def test_demo_certifications_are_options_of_the_entry_form(demo):
    """Every generated certification is an option of the entry's own category form."""
    options = {c.slug: _options_of(c, "certifications") for c in demo.categories}

    stray = [
        (e.category_slug, cert)
        for e in demo.entries
        for cert in e.answers.get("certifications", [])
        if cert not in options[e.category_slug]
    ]

    assert stray == []
    assert any(e.answers.get("certifications") for e in demo.entries)
