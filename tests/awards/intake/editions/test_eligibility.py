"""Category eligibility reasons: size class, sector, district, entries per business."""

from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.editions.eligibility import BusinessFacts, EligibilityRules, check_eligibility

UMKM = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)


def reasons(rules, facts, count=0):
    return [(r.field, str(r)) for r in check_eligibility(rules, facts, count)]


def test_eligibility_open_rules_accept_any_business():
    """Empty rules with room for entries give no reasons."""
    facts = BusinessFacts(SizeClass.LARGE, "jasa", "Klojen")
    assert check_eligibility(EligibilityRules(), facts, 0) == []


def test_eligibility_size_class_outside_rule_is_refused():
    """A large business in an UMKM-only category is refused with both classes named."""
    rules = EligibilityRules(size_classes=(SizeClass.MICRO, SizeClass.SMALL))
    facts = BusinessFacts(SizeClass.MEDIUM, "kuliner", "Sukun")
    assert reasons(rules, facts) == [
        ("size_class", "This category is open to micro, small businesses; yours is medium.")
    ]


def test_eligibility_undeclared_size_is_refused_when_rule_restricts():
    """Without capital and turnover the class is unknown and the entrant is told to declare."""
    rules = EligibilityRules(size_classes=(SizeClass.MICRO,))
    facts = BusinessFacts(None, "kuliner", "Sukun")
    assert [field for field, _ in reasons(rules, facts)] == ["size_class"]


def test_eligibility_sector_and_district_reasons_are_all_listed():
    """A wrong sector and a wrong district give two reasons at once."""
    rules = EligibilityRules(sectors=("kuliner",), districts=("Klojen", "Sukun"))
    facts = BusinessFacts(SizeClass.MICRO, "fashion", "Blimbing")
    assert reasons(rules, facts) == [
        ("sector", "This category is open to these sectors only: kuliner."),
        ("district", "This category is open to businesses in Klojen, Sukun only."),
    ]


def test_eligibility_entry_limit_reached_is_refused():
    """With one entry allowed and one existing, another entry is refused."""
    rules = EligibilityRules(size_classes=UMKM, max_entries_per_business=1)
    facts = BusinessFacts(SizeClass.SMALL, "kuliner", "Klojen")
    assert [field for field, _ in reasons(rules, facts, 1)] == ["entries"]


def test_eligibility_below_entry_limit_is_accepted():
    """With two entries allowed and one existing, the business is still eligible."""
    rules = EligibilityRules(max_entries_per_business=2)
    facts = BusinessFacts(SizeClass.SMALL, "kuliner", "Klojen")
    assert check_eligibility(rules, facts, 1) == []


def test_eligibility_no_entry_limit_accepts_many():
    """max_entries_per_business=None means no limit."""
    rules = EligibilityRules(max_entries_per_business=None)
    assert check_eligibility(rules, BusinessFacts(SizeClass.MICRO, "jasa", "Sukun"), 50) == []


def test_eligibility_reason_is_translated_with_gettext():
    """Reasons render through gettext, including the size-class names."""
    catalog = {
        "This category is open to %(allowed)s businesses; yours is %(actual)s.": (
            "Kategori ini untuk usaha %(allowed)s; usaha Anda %(actual)s."
        ),
        "micro": "mikro",
        "medium": "menengah",
    }
    rules = EligibilityRules(size_classes=(SizeClass.MICRO,))
    [reason] = check_eligibility(rules, BusinessFacts(SizeClass.MEDIUM, "jasa", "Sukun"), 0)
    assert reason.render(lambda s: catalog.get(s, s)) == (
        "Kategori ini untuk usaha mikro; usaha Anda menengah."
    )


def test_eligibility_rules_round_trip_through_a_dict():
    """to_dict/from_dict restore the same rules."""
    rules = EligibilityRules(UMKM, ("kuliner",), ("Sukun",), 2)
    assert EligibilityRules.from_dict(rules.to_dict()) == rules


def test_eligibility_rules_zero_entry_limit_is_invalid():
    """A limit of zero entries is reported as a configuration error."""
    assert "max_entries_per_business" in EligibilityRules(max_entries_per_business=0).validate()
