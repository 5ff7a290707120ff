"""The Jinja2 environment for the busiest lists' bodies (the staff queue, the registry, a 公示).

Their rows cost a template include, a `{% url %}` and several translations each under Django's
engine; Jinja2 compiles a template to Python once and draws the same rows several times faster.
The page around them stays Django's `base.html` (portal/pages.py), so there is one layout.
Translations are Django's own catalogue (`{{ _("…") }}`, `{% trans %}`), autoescaping is on.
"""

import functools

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import template_localtime
from markupsafe import Markup

from jinja2 import Environment


def url(name: str, *args, **kwargs) -> str:
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _fixed_url(name)


@functools.cache
def _fixed_url(name: str) -> str:
    # An address without arguments is fixed for the life of the process: reversed once, not per page.
    return reverse(name)


class _Environment(Environment):
    """The lists' rows are dicts: `row.title` reads the key first. Jinja2 tries the attribute
    first, and a failed attribute lookup (an exception) per cell cost half a page's rendering."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def gettext(message: str, **variables) -> Markup:
    """`{{ _("…") }}` and `{% trans %}`: Jinja2's "new style" gettext (the message is always a
    format string, its variables escaped), as a plain function. Jinja2's own is passed the
    template's context, and inside a `{% for %}` builds a new context for each call: some
    fifty per list page, a tenth of its rendering. Autoescaping is always on here."""
    return Markup(translation.gettext(message)) % variables


@functools.cache
def gettext_for(language: str | None):
    """gettext() for a page drawn in `language` (portal.pages.render_body passes it as `_`): each
    message translated once for the process, as the catalogue is fixed. A dashboard draws some
    sixty, each a catalogue lookup through the active language otherwise."""
    translated: dict[str, Markup] = {}

    def gettext_in_language(message: str, **variables) -> Markup:
        text = translated.get(message)
        if text is None:
            text = translated[message] = Markup(translation.gettext(message))
        return text % variables

    return gettext_in_language


def message(text: str) -> Markup:
    """A translated format string to fill in later, as `message % {"n": value}` (which escapes
    the values): a row loop's message translated once for the page, not once per row."""
    return Markup(translation.gettext(text))


def date(value, format_string: str) -> str:
    """Django's `date` filter, on the local time as Django's templates show it; "" for None."""
    return defaultfilters.date(template_localtime(value), format_string) if value is not None else ""


def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return Markup(translation.ngettext(singular, plural, num)) % variables


def environment(**options) -> Environment:
    env = _Environment(extensions=["jinja2.ext.i18n"], **options)
    if env.autoescape is not True:
        raise ValueError("the portal's Jinja2 templates are drawn with autoescaping on")
    # `{% trans %}` compiles to calls with the variables as keywords; `_` replaces the extension's
    # own context-passing alias.
    env.newstyle_gettext = True
    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext, message=message, url=url, static=static)
    env.filters["date"] = date
    return env
