"""Jinja2 setup: autoescape, gettext (``_``, ``ngettext``, ``{% trans %}``), template globals."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup

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


@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    """Jinja's new-style ``_()`` / ``gettext()`` in one call instead of three.

    Same result as ``jinja2.ext``'s wrapper: the translation, marked safe when autoescaping,
    always used as a %-format string with the (escaped) keyword arguments. A string without
    ``%`` formats to itself, so that step is skipped for it. A page calls this hundreds of
    times; Jinja's alias -> wrapper -> function chain cost three context calls each.
    """
    text = i18n.gettext(message)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """Jinja's new-style ``ngettext()``: ``num`` is also available as ``%(num)s``."""
    variables.setdefault("num", num)
    text = i18n.ngettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def build_environment(*, auto_reload: bool = False) -> Environment:
    """The pages' Jinja environment. ``auto_reload`` re-reads a template whose file changed
    (a stat of every template a page uses, per render): for development only."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=auto_reload,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
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
