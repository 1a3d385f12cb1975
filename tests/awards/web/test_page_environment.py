"""The pages' Jinja environment: faster printing and dict lookups with Jinja's own output."""

from __future__ import annotations

from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
from markupsafe import Markup, escape

from awards.web.templating import build_environment, escape_output


class _Html:
    """An object that renders itself (as a form widget or a Markup proxy does)."""

    def __html__(self) -> str:
        return "<b>safe</b>"


class _Text:
    def __str__(self) -> str:
        return "<i>'text' & \"more\"</i>"


VALUES = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    "",
    Markup("<em>kept</em>"),
    Markup("<em>%s</em>") % "<escaped>",
    0,
    -42,
    True,
    None,
    3.5,
    _Html(),
    _Text(),
    ["<a>", 1],
]


def test_escape_output_gives_markupsafe_text_for_every_kind_of_value():
    """A printed value comes out exactly as ``markupsafe.escape`` would print it."""
    for value in VALUES:
        assert escape_output(value) == str(escape(value)), repr(value)


def test_page_environment_prints_what_plain_jinja_prints():
    """The same template, autoescaped, renders the same text in both environments."""
    source = (
        "{% for v in values %}[{{ v }}|{{ v|e }}|{{ v ~ '&' }}]{% endfor %}"
        "{% macro m(x) %}<p>{{ x }}</p>{% endmacro %}{{ m(values[1]) }}{{ m(values[3]) }}"
        "{% set block %}{{ values[1] }}{% endset %}{{ block }}{{ missing }}"
    )
    reference = Environment(autoescape=True)
    expected = reference.from_string(source).render(values=VALUES)
    assert build_environment().from_string(source).render(values=VALUES) == expected
    assert "&lt;script&gt;" in expected


def test_page_environment_reads_dict_keys_and_methods_as_jinja_does():
    """``d.key`` finds the key; ``d.items``/``d.get`` stay the dict's methods even when the
    dict has a key of that name; a missing key is undefined."""
    source = (
        "{{ d.name }}|{{ d.get('name') }}|{{ d['values'] }}|"
        "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{{ d.absent is defined }}"
    )
    data = {"name": "<Ani>", "values": [1, 2], "items": "not the method", "get": "neither"}
    expected = Environment(autoescape=True).from_string(source).render(d=data)
    assert build_environment().from_string(source).render(d=data) == expected
    assert expected.startswith("&lt;Ani&gt;|&lt;Ani&gt;|[1, 2]|name=")
    assert expected.endswith("|False")


def _plain(value="", **named):
    return f"plain:{value}:{sorted(named.items())}"


@pass_context
def _with_context(context, value):
    return f"context:{context['who']}:{value}"


@pass_eval_context
def _with_eval_context(eval_ctx, value):
    return f"eval:{eval_ctx.autoescape}:{value}"


@pass_environment
def _with_environment(environment, value):
    return f"environment:{environment.autoescape is not None}:{value}"


def _stops():
    raise StopIteration


class _Greeter:
    def hello(self, name):
        return f"hello {name}"

    @pass_context
    def hello_from(self, context):
        return f"hello from {context['who']}"

    def __call__(self, name):
        return f"called {name}"


def test_page_context_calls_every_kind_of_callable_as_jinja_does():
    """Functions, bound methods, builtins, callable objects, macros and each pass-argument
    decorator get the same arguments as in plain Jinja, a StopIteration is undefined, and
    keyword arguments named like the call's own parameters reach the callable."""
    source = (
        "{{ plain('a', obj=1, self=2) }}|{{ ctx('b') }}|{{ ev('c') }}|{{ en('d') }}|"
        "{{ g.hello('e') }}|{{ g.hello_from() }}|{{ g('f') }}|{{ d.get('k') }}|{{ len('xyz') }}|"
        "{{ stops() is defined }}|{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m('<g>') }}|"
        "{% for i in [1] %}{{ ctx(i) }}{{ plain(i) }}{{ ev(i) }}{% endfor %}"
    )
    context = {
        "plain": _plain,
        "ctx": _with_context,
        "ev": _with_eval_context,
        "en": _with_environment,
        "g": _Greeter(),
        "d": {"k": "v"},
        "len": len,
        "stops": _stops,
        "who": "Ani",
    }
    expected = Environment(autoescape=True).from_string(source).render(context)
    assert build_environment().from_string(source).render(context) == expected
    assert expected.startswith("plain:a:[(&#39;obj&#39;, 1), (&#39;self&#39;, 2)]|context:Ani:b|")
    assert "|False|[&lt;g&gt;]|context:Ani:1" in expected
