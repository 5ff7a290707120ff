"""A page whose body is drawn by Jinja2 (portal/jinja2.py) inside the one Django layout."""

import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, engines
from django.template.loader import get_template, render_to_string
from django.test.signals import template_rendered
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.jinja2 import gettext_for
from portal.navigation import navigation

LAYOUT = "jinja_page.html"
# Where the title and the body go in a kept layout: comments, which no drawn layout contains.
_TITLE, _BODY = "<!--portal:page-title-->", "<!--portal:page-body-->"
# Where a signed-in user's CSRF token goes (the sign-out form): drawn into a kept layout as this
# process's own random word, replaced by the request's token each time the layout is used.
_CSRF = "portalcsrf" + secrets.token_hex(16)
# Kept layouts (before the title, between title and body, after the body) by what they show:
# language, navigation and, for a signed-in user, the name, unit and role in the navigation bar.
_layouts: dict[tuple, tuple[str, str, str]] = {}
# Distinct signed-in users each keep one; past this many, the process starts again from none.
LAYOUTS_KEPT = 2000


def render_body(template_name: str, context: dict, request=None) -> str:
    # The page's language is fixed while it is drawn: its messages are looked up in that language's memo.
    gettext = gettext_for(get_language())
    context = {**context, "_": gettext, "gettext": gettext}
    return mark_safe(engines["jinja2"].get_template(template_name).render(context, request))


def render_page(request, title: str, template_name: str, context: dict, status: int = 200):
    """`base.html` with `title`, and for its content the Jinja2 template `template_name`."""
    return page_response(request, title, render_body(template_name, context, request), context, status)


def page_response(request, title: str, body: str, context: dict, status: int = 200):
    """`base.html` with `title` and the drawn `body` (safe HTML, scripts included) for its content;
    `context` is the body's."""
    # The body's context rides along, as a Django page's would (tests read response.context).
    page_context = {**context, "page_title": title, "body": body}
    key = _layout_key(request)
    if key is None:
        return render(request, LAYOUT, page_context, status=status)
    layout = _layouts.get(key)
    if layout is None:
        drawn = render_to_string(
            LAYOUT,
            {**page_context, "page_title": mark_safe(_TITLE), "body": mark_safe(_BODY), "csrf_token": _CSRF},
            request,
        )
        before_title, rest = drawn.split(_TITLE)
        if len(_layouts) >= LAYOUTS_KEPT:
            _layouts.clear()
        layout = _layouts[key] = (before_title, *rest.split(_BODY))
    # Django's test client reads a page's context from this signal, which a drawn template sends.
    template_rendered.send(sender=None, template=get_template(LAYOUT).template, context=Context(page_context))
    if any(_CSRF in part for part in layout):  # a visitor's layout has no form: no token is made for them
        token = get_token(request)
        layout = tuple(part.replace(_CSRF, token) for part in layout)
    before_title, before_body, after_body = layout
    return HttpResponse(f"{before_title}{conditional_escape(title)}{before_body}{body}{after_body}", status=status)


def _layout_key(request) -> tuple | None:
    """What the layout shows that differs between requests, but for the CSRF token; None when
    it has messages to show, which are drawn (and so consumed) with the page.

    Drawn once for each language, navigation (links and current link) and signed-in user's name,
    unit and role, a layout costs a page a string join instead of a template's rendering."""
    user = getattr(request, "user", None)
    if user is None or len(get_messages(request)):
        return None
    links = tuple((link["url"], link["current"]) for link in navigation(request)["nav_links"])
    if not user.is_authenticated:
        return get_language(), links
    organisation = user.organisation
    # The role's value: its label follows from it and the language.
    return get_language(), links, user.name, organisation.name if organisation else None, user.role
