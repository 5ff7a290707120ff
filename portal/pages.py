"""A page whose body is drawn by Jinja2 (portal/jinja2.py) inside the one Django layout."""

from django.shortcuts import render
from django.template import engines
from django.utils.safestring import mark_safe


def render_body(template_name: str, context: dict, request=None) -> str:
    return mark_safe(engines["jinja2"].get_template(template_name).render(context, request))


def render_page(request, title: str, template_name: str, context: dict, status: int = 200):
    """`base.html` with `title`, and for its content the Jinja2 template `template_name`."""
    body = render_body(template_name, context, request)
    # The body's context rides along, as a Django page's would (tests read response.context).
    return render(request, "jinja_page.html", {**context, "page_title": title, "body": body}, status=status)
