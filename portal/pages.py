"""A page whose body is drawn by Jinja2 (portal/jinja2.py) inside the one Django layout."""

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Context, engines
from django.template.loader import get_template, render_to_string
from django.test.signals import template_rendered
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.navigation import navigation

LAYOUT = "jinja_page.html"
# Where the title and the body go in a kept layout: comments, which no drawn layout contains.
_TITLE, _BODY = "<!--portal:page-title-->", "<!--portal:page-body-->"
# A visitor's layout (before the title, between title and body, after the body) by language and
# current navigation link: a few entries for the life of the process.
_visitor_layouts: dict[tuple, tuple[str, str, str]] = {}


def render_body(template_name: str, context: dict, request=None) -> str:
    return mark_safe(engines["jinja2"].get_template(template_name).render(context, request))


def render_page(request, title: str, template_name: str, context: dict, status: int = 200):
    """`base.html` with `title`, and for its content the Jinja2 template `template_name`."""
    body = render_body(template_name, context, request)
    # The body's context rides along, as a Django page's would (tests read response.context).
    page_context = {**context, "page_title": title, "body": body}
    key = _visitor_layout_key(request)
    if key is None:
        return render(request, LAYOUT, page_context, status=status)
    layout = _visitor_layouts.get(key)
    if layout is None:
        drawn = render_to_string(LAYOUT, {**page_context, "page_title": mark_safe(_TITLE), "body": mark_safe(_BODY)}, request)
        before_title, rest = drawn.split(_TITLE)
        layout = _visitor_layouts[key] = (before_title, *rest.split(_BODY))
    # Django's test client reads a page's context from this signal, which a drawn template sends.
    template_rendered.send(sender=None, template=get_template(LAYOUT).template, context=Context(page_context))
    before_title, before_body, after_body = layout
    return HttpResponse(f"{before_title}{conditional_escape(title)}{before_body}{body}{after_body}", status=status)


def _visitor_layout_key(request) -> tuple | None:
    """What a visitor's layout depends on, when it is the same for every visitor: one without a
    session's user or messages to show (the public pages). None when it is drawn for the visitor.

    The layout of a visitor differs only by language and the navigation's current link: drawn
    once for the process, it costs a page a string join instead of a template's rendering."""
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated or len(get_messages(request)):
        return None
    return get_language(), tuple(link["current"] for link in navigation(request)["nav_links"])
