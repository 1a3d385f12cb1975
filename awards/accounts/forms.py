"""Typed input of the account forms and API bodies (missing fields arrive as "")."""

from __future__ import annotations

from msgspec import Struct

__all__ = [
    "LoginData",
    "PasswordChangeData",
    "ResetConfirmData",
    "ResetRequestData",
    "SignupData",
]


class SignupData(Struct):
    email: str = ""
    password: str = ""
    display_name: str = ""


class LoginData(Struct):
    email: str = ""
    password: str = ""
    next: str = ""


class PasswordChangeData(Struct):
    current_password: str = ""
    new_password: str = ""


class ResetRequestData(Struct):
    email: str = ""


class ResetConfirmData(Struct):
    token: str = ""
    new_password: str = ""
