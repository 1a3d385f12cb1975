"""The demo's accounts: the organizer, six judges, and one entrant per category.

Accounts carry :data:`~awards.demo.edition.DEMO_PASSWORD` in clear text: it is a demo-only
password, documented as such, for a local demo database; never load these accounts into a
production database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from awards.demo.edition import DEMO_PASSWORD
from awards.demo.records import Business, Entry

__all__ = ["Account", "build_accounts"]


@dataclass(frozen=True, slots=True)
class Account:
    """A demo login. ``password`` is :data:`DEMO_PASSWORD` (demo only; hash it when loading)."""

    email: str
    full_name: str
    role: str  # "organizer" | "judge" | "entrant"
    password: str
    locale: str  # "id" | "en"
    affiliation: str | None  # institution (organizer, judges)
    expertise: tuple[str, ...]  # category slugs a judge suits; empty for others
    business_key: str | None  # the business an entrant manages


_STAFF = (
    ("organizer", "Retno Wulandari, S.E.", "panitia@anugerah.example.org",
     "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang", ()),
    ("judge", "Dr. Ir. Hendra Kusuma, M.T.", "hendra.kusuma@juri.example.org",
     "Universitas Brawijaya", ("kuliner", "agribisnis")),
    ("judge", "Rina Kartika, S.Ds.", "rina.kartika@juri.example.org",
     "Studio Kreatif Kayutangan", ("fashion-kriya", "kreatif-digital")),
    ("judge", "Prof. Dr. Sri Wahyuni, S.E., M.Si.", "sri.wahyuni@juri.example.org",
     "Universitas Negeri Malang", ("kuliner", "fashion-kriya", "jasa-pariwisata")),
    ("judge", "Anita Permatasari, S.TP., M.P.", "anita.permatasari@juri.example.org",
     "Universitas Muhammadiyah Malang", ("kuliner", "agribisnis")),
    ("judge", "Dimas Prasetyo, S.Kom., M.Kom.", "dimas.prasetyo@juri.example.org",
     "Politeknik Negeri Malang", ("kreatif-digital", "jasa-pariwisata")),
    ("judge", "Yoga Aditya, S.Sn.", "yoga.aditya@juri.example.org",
     "Komunitas Desain Grafis Malang", ("fashion-kriya", "kreatif-digital", "agribisnis")),
)  # fmt: skip


def build_accounts(businesses: Sequence[Business], entries: Sequence[Entry]) -> tuple[Account, ...]:
    """The organizer, six judges, and one entrant per category (owner of its first submitted
    entry's business, so each entrant has a receipt to look at)."""
    accounts = [
        Account(email, name, role, DEMO_PASSWORD, "id", affiliation, expertise, None)
        for role, name, email, affiliation, expertise in _STAFF
    ]
    by_key = {b.key: b for b in businesses}
    chosen: dict[str, str] = {}
    for entry in entries:
        if (
            entry.status == "submitted"
            and entry.category_slug not in chosen
            and entry.business_key not in chosen.values()
        ):
            chosen[entry.category_slug] = entry.business_key
    for business_key in chosen.values():
        owner = by_key[business_key]
        accounts.append(
            Account(owner.owner_email, owner.owner_name, "entrant", DEMO_PASSWORD, "id", None, (),
                    business_key)
        )  # fmt: skip
    return tuple(accounts)
