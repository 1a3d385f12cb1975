"""The templates' gettext: the same output as Jinja's new-style i18n, in fewer calls."""

from __future__ import annotations

from jinja2 import Environment
from jinja2.ext import InternationalizationExtension

from awards import i18n
from awards.web.templating import build_environment


def _jinja_reference() -> Environment:
    """Jinja's own new-style gettext, the behaviour the fast one must keep."""
    env = Environment(autoescape=True, extensions=[InternationalizationExtension])
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


SOURCES = [
    '{{ _("Sign in") }}',
    '{{ _("100%% sure") }}',
    '{{ _("Hello %(name)s", name=who) }}',
    '{{ gettext("Hello %(name)s", name=who) }}',
    "{% trans %}Sign in{% endtrans %}",
    "{% trans name=who %}Hello {{ name }}{% endtrans %}",
    '{{ ngettext("%(num)d judge", "%(num)d judges", n) }}',
    "{% trans count=n %}{{ count }} entry{% pluralize %}{{ count }} entries{% endtrans %}",
]


def test_template_gettext_matches_jinja_newstyle_in_both_languages():
    """Escaping of variables, %% and plurals come out exactly as Jinja's wrapper makes them."""
    fast, reference = build_environment(), _jinja_reference()
    context = {"who": "<b>Ani & Budi</b>", "n": 3}
    for language in ("id", "en"):
        with i18n.use_language(language):
            for source in SOURCES:
                expected = reference.from_string(source).render(context)
                assert fast.from_string(source).render(context) == expected, source


def test_template_gettext_does_not_escape_in_plain_text_templates():
    """With autoescape off (e-mail text) the variables stay as written."""
    env = build_environment()
    env.autoescape = False
    with i18n.use_language("en"):
        rendered = env.from_string('{{ _("Hello %(name)s", name=who) }}').render(who="Ani & Budi")
    assert rendered == "Hello Ani & Budi"


def test_template_environment_does_not_stat_templates_by_default():
    """Production renders never re-check template files; development can ask for it."""
    assert build_environment().auto_reload is False
    assert build_environment(auto_reload=True).auto_reload is True
