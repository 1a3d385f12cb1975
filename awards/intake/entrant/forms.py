"""Typed input of the entrant pages and API bodies (missing form fields arrive as "")."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

__all__ = [
    "BusinessData",
    "DeclarationData",
    "EntryAnswersData",
    "EntryCreateData",
    "InvitationData",
    "TokenData",
]


class BusinessData(Struct):
    """The business profile; numbers may be given as text (forms) or numbers (API)."""

    name: str = ""
    owner_name: str = ""
    nib: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    district: str = ""
    sector: str = ""
    year_founded: str | int | None = None
    employees: str | int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__struct_fields__}


class DeclarationData(Struct):
    """Capital (modal usaha, without land and buildings) and annual turnover, in rupiah."""

    capital: str | int = ""
    turnover: str | int = ""
    next: str = ""


class InvitationData(Struct):
    email: str = ""


class TokenData(Struct):
    token: str = ""


class EntryCreateData(Struct):
    business_id: int
    category_id: int


class EntryAnswersData(Struct):
    """Answers keyed by field key (file fields are managed as attachments)."""

    answers: dict[str, Any] = {}
