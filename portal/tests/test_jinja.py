"""The Jinja2 bodies' translations: Django's catalogue, Jinja2's "new style" rules, inside loops too."""

from django.template import engines
from django.utils import translation

from portal.jinja2 import gettext_for


def draw(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_translation_in_a_loop_escapes_its_variables_and_reads_a_percent_sign_as_jinja_does():
    source = '{% for name in names %}{{ _("选择 %(n)s（100%%）", n=name) }};{% endfor %}'
    assert draw(source, names=["<b>甲</b>", "乙&丙"]) == (
        "选择 &lt;b&gt;甲&lt;/b&gt;（100%）;选择 乙&amp;丙（100%）;"
    )


def test_a_message_translated_once_for_a_loop_draws_as_a_translation_in_the_loop():
    hoisted = '{% set m = message("选择 %(n)s（100%%）") %}{% for name in names %}{{ m % {"n": name} }};{% endfor %}'
    inline = '{% for name in names %}{{ _("选择 %(n)s（100%%）", n=name) }};{% endfor %}'
    names = ["<b>甲</b>", "乙&丙", 3]
    assert draw(hoisted, names=names) == draw(inline, names=names)
    with translation.override("zh-hans"):
        assert draw('{% set m = message("access attempt") %}{{ m % {} }}') == "登录尝试"


def test_a_plural_gives_its_number_and_a_trans_block_its_variables():
    source = (
        '{% for n in [1, 3] %}{{ ngettext("%(num)s 件", "%(num)s 件（多）", n) }} {% endfor %}'
        "{% trans who=name %}由 {{ who }} 提交{% endtrans %}"
    )
    assert draw(source, name="<i>") == "1 件 3 件（多） 由 &lt;i&gt; 提交"


def test_a_translation_is_the_catalogues_for_the_active_language():
    # A message the Chinese catalogue translates (from a library's English).
    with translation.override("zh-hans"):
        assert draw('{% for _x in [1] %}{{ _("access attempt") }}{% endfor %}') == "登录尝试"
    with translation.override("en"):
        assert draw('{% for _x in [1] %}{{ _("access attempt") }}{% endfor %}') == "access attempt"


def test_a_translation_in_a_loop_builds_no_context_of_its_own(monkeypatch):
    # Jinja2's own gettext is passed a new context for each call inside a loop that sets a
    # variable (as the lists' rows do): on a list page, fifty of them. Counted here by wrapping
    # the one method that builds them.
    from jinja2.runtime import Context

    built = []
    derived = Context.derived
    monkeypatch.setattr(Context, "derived", lambda self, locals=None: built.append(1) or derived(self, locals))
    page = draw('{% for i in range(50) %}{% set n = i + 1 %}{{ _("第 %(n)s 行", n=n) }}{% endfor %}')
    assert page.count("行") == 50 and "第 50 行" in page
    assert built == []


def test_a_pages_translations_are_kept_per_language_and_drawn_as_the_catalogues():
    # portal.pages.render_body draws a body with gettext_for(the page's language) as `_` and `gettext`.
    source = (
        '{% for _x in [1] %}{{ _("access attempt") }}|{{ _("选择 %(n)s（100%%）", n="<b>") }}|{% endfor %}'
        '{% trans who="<i>" %}由 {{ who }} 提交{% endtrans %}'
    )

    def drawn(language: str) -> str:
        with translation.override(language):
            return draw(source, _=gettext_for(language), gettext=gettext_for(language))

    assert drawn("zh-hans") == "登录尝试|选择 &lt;b&gt;（100%）|由 &lt;i&gt; 提交"
    assert drawn("en") == "access attempt|选择 &lt;b&gt;（100%）|由 &lt;i&gt; 提交"
    assert drawn("zh-hans") == "登录尝试|选择 &lt;b&gt;（100%）|由 &lt;i&gt; 提交"
