from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from markupsafe import escape


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    # django/forms/widgets/input.html
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    # django/forms/widgets/textarea.html
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    # django/forms/widgets/select.html and select_option.html, for options outside groups
    options = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            return None
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            options.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
            )
    return f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'


_INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
# The widget templates drawn in Python, each to the same characters as Django's Jinja2 template
# (portal/tests/test_renderers.py compares them widget by widget).
DRAWERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(Jinja2):
    """Widgets drawn by Jinja2 (Django's own widget templates in their Jinja2 flavour), several
    times faster than Django's engine: a table step of 40 rows has some 300 widgets. The plainest
    widgets (inputs, text areas, selects without groups) are drawn by a function instead of a
    template, a few times faster again. A widget that exists only as a Django template (the
    admin's own, e.g. its date and time pickers) is drawn by Django's engine."""

    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def render(self, template_name, context, request=None):
        drawer = DRAWERS.get(template_name)
        if drawer is not None and request is None and "widget" in context:
            html = drawer(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
