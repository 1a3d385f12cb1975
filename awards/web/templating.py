"""Jinja2 setup: autoescape, gettext (``_``, ``ngettext``, ``{% trans %}``), template globals."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from awards import i18n
from awards.accounts.administration import role_label
from awards.intake.common import format_local
from awards.intake.lifecycle import status_label
from awards.settings import LANGUAGES
from awards.web.auth import current_user
from awards.web.flash import pop_flashes

__all__ = ["TEMPLATE_DIR", "build_environment", "template_config"]

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


def _request_target(request: Any) -> str:
    """Path and query of ``request``, for "come back here" links."""
    url = request.url
    return url.path + (f"?{url.query}" if url.query else "")


def local_time(moment: Any, time_zone: str | None = None) -> str:
    """``moment`` (UTC) as wall-clock time in ``time_zone`` (default Asia/Jakarta); "" for None."""
    if moment is None:
        return ""
    return format_local(moment, time_zone)


def local_name(row: Any, field: str = "name") -> str:
    """A row's ``<field>_en`` in the English UI when it is filled in, else ``<field>_id``."""
    get = row.get if hasattr(row, "get") else lambda key, default=None: getattr(row, key, default)
    if i18n.current_language().startswith("en") and get(f"{field}_en"):
        return get(f"{field}_en")
    return get(f"{field}_id") or ""


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
        local_time=local_time,
        local_name=local_name,
        edition_status_label=status_label,
        pop_flashes=pop_flashes,
    )
    env.filters["urlquote"] = lambda value: quote(str(value), safe="/")
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    env = build_environment()
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))
