"""Jinja2 setup: autoescape, gettext (``_``, ``ngettext``, ``{% trans %}``), template globals."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from awards import i18n
from awards.settings import LANGUAGES
from awards.web.auth import current_user
from awards.web.flash import pop_flashes

__all__ = ["TEMPLATE_DIR", "build_environment", "template_config"]

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


def _request_target(request: Any) -> str:
    """Path and query of ``request``, for "come back here" links."""
    url = request.url
    return url.path + (f"?{url.query}" if url.query else "")


def role_label(role: str) -> str:
    """The translated name of a role."""
    _ = i18n.gettext
    labels = {
        "admin": _("Administrator"),
        "organizer": _("Organizer"),
        "judge": _("Judge"),
        "entrant": _("Entrant"),
    }
    return labels.get(role, role)


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        current_user=current_user,
        current_language=i18n.current_language,
        language_names=i18n.LANGUAGE_NAMES,
        languages=LANGUAGES,
        request_target=_request_target,
        role_label=role_label,
        pop_flashes=pop_flashes,
    )
    env.filters["urlquote"] = lambda value: quote(str(value), safe="/")
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    env = build_environment()
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))
