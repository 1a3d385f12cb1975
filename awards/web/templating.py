"""Jinja2 setup: autoescape, gettext (``_``, ``ngettext``, ``{% trans %}``), template globals."""

from __future__ import annotations

from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, Template, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.utils import _PassArg
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup, escape

try:  # markupsafe's C escaper of a str (what ``escape`` calls before wrapping it in Markup)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - pure-Python markupsafe
    from markupsafe._native import _escape_inner

from awards import i18n
from awards.accounts.administration import role_label
from awards.intake.common import format_local
from awards.intake.editions.lifecycle import status_label
from awards.settings import LANGUAGES
from awards.web.auth import current_user
from awards.web.flash import pop_flashes

__all__ = [
    "TEMPLATE_DIR",
    "PageContext",
    "PageEnvironment",
    "build_environment",
    "escape_output",
    "template_config",
]

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


def escape_output(value: Any, /) -> str:
    """``{{ value }}`` under autoescape: the text markupsafe's ``escape`` gives, as a plain str.

    Jinja wraps every printed value in ``escape``, which builds a ``Markup`` object (two Python
    calls more) only for the page to join it into a str; a printed value is never used again,
    so the wrapper is skipped here. Same rules: a str is escaped, an object with ``__html__``
    (``Markup``, a translation) is trusted as it is, anything else is escaped as ``str(value)``.
    A page prints hundreds of values (the 50-row entry list about 600).
    """
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


class PageTemplate(Template):
    """A template whose printed values go through :func:`escape_output`.

    The compiled template module imports ``escape`` from ``jinja2.runtime`` and calls it only
    where a value is printed (``{{ ... }}``); filters (``|e``), macros and ``Markup`` keep
    markupsafe's own functions.
    """

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Any:
        if namespace.get("escape") is escape:
            namespace["escape"] = escape_output
        return super()._from_namespace(environment, namespace, globals)


class PageContext(Context):
    """A template context whose calls of functions and methods (``_()``, ``local_name(c)``,
    ``d.get(k)``: a hundred a page) take a short way with Jinja's result.

    Jinja's ``Context.call`` asks every callable twice whether it wants the context, eval
    context or environment (``__call__`` first, for callable objects); a function, bound method
    or builtin says so on itself (``jinja_pass_arg``, set by ``pass_context`` and friends), so
    one look is enough. Those wanting the eval context (``_()``) get it here; any other callable
    (macros, callable objects) or pass-argument goes Jinja's way.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        kind = type(__obj)
        if kind is not FunctionType and kind is not MethodType and kind is not BuiltinFunctionType:
            return super().call(__obj, *args, **kwargs)
        pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if pass_arg is _PassArg.eval_context:
            args = (__self.eval_ctx, *args)
        elif pass_arg is not None:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_DICT_ATTRIBUTES = frozenset(dir(dict))


class PageEnvironment(Environment):
    """Jinja's environment with ``a.b`` on a dict read as ``a["b"]`` without first trying
    (and failing) an attribute: the same value Jinja finds, since a plain dict has no attribute
    but its methods (``d.items``, ``d.get`` still give the method). Pages read most of their
    context from dicts (``c.key``, ``e.status``), and each failed attribute raised and caught
    an AttributeError."""

    template_class = PageTemplate
    context_class = PageContext

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def build_environment(*, auto_reload: bool = False) -> Environment:
    """The pages' Jinja environment. ``auto_reload`` re-reads a template whose file changed
    (a stat of every template a page uses, per render): for development only."""
    env = PageEnvironment(
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
