"""Typed input of the account forms and API bodies (missing fields arrive as "")."""

from __future__ import annotations

from msgspec import Struct

__all__ = [
    "ConfirmData",
    "LoginData",
    "PasswordChangeData",
    "ResendData",
    "ResetConfirmData",
    "ResetRequestData",
    "SignupData",
    "SignupFormData",
]


class SignupData(Struct):
    email: str = ""
    password: str = ""
    display_name: str = ""


class SignupFormData(SignupData):
    """The sign-up page's form: the API body plus the local page to continue to."""

    next: str = ""


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


class ConfirmData(Struct):
    """The confirmation page's button: the token from the emailed link."""

    token: str = ""


class ResendData(Struct):
    email: str = ""
