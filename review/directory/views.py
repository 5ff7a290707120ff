"""The key-enterprise directory: lists and their coverage for the bureau and district bureaus;
lists, entries, imports and reminders kept by the bureau."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import area_of, bureau_required, is_bureau, oversight_required
from portal.pages import render_page
from review.directory import selectors, services, workbook
from review.directory.forms import EntryFilterForm, ImportForm, KeyEntryForm, KeyListForm
from review.directory.models import KeyList

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _coverage_page(request, *, list_form=None, import_form=None, import_errors=None, status=200):
    area = area_of(request.user)
    lists, districts = selectors.coverage(area=area)
    context = {
        "lists": lists,
        "districts": districts,
        "area": area,
        "can_edit": is_bureau(request.user),
        "list_form": list_form or KeyListForm(),
        "import_form": import_form or ImportForm(),
        "import_errors": import_errors,
    }
    return render_page(request, _("重点企业专利产品备案目录清单"), "review/directory/coverage.html", context, status)


@oversight_required
def coverage(request):
    return _coverage_page(request)


@bureau_required
@require_POST
def key_list_new(request):
    form = KeyListForm(request.POST)
    if not form.is_valid():
        return _coverage_page(request, list_form=form, status=400)
    key_list = services.key_list_create(actor=request.user, **form.cleaned_data)
    messages.success(request, _("已建立清单“%(name)s”。") % {"name": key_list.name})
    return redirect("review:key-list", pk=key_list.pk)


@bureau_required
def import_template(request):
    data = workbook.template_workbook(list(KeyList.objects.values_list("name", flat=True)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="key-enterprise-template.xlsx"'
    return response


@bureau_required
@require_POST
def import_entries(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _coverage_page(request, import_form=form, status=400)
    try:
        count = services.key_entries_import(upload=form.cleaned_data["file"])
    except services.ImportRefused as refused:
        form.add_error("file", refused.messages[0])
        return _coverage_page(request, import_form=form, import_errors=refused.rows, status=400)
    except ValidationError as error:
        form.add_error("file", error.messages[0])
        return _coverage_page(request, import_form=form, status=400)
    messages.success(request, _("已导入 %(n)d 家企业。") % {"n": count})
    return redirect("review:coverage")


def _list_page(request, key_list, *, entry_form=None, status=200):
    area = area_of(request.user)
    filters = EntryFilterForm(request.GET)
    filters.is_valid()
    q, state = filters.cleaned_data.get("q", ""), filters.cleaned_data.get("status", "")
    districts = selectors.coverage_by_district(area=area, key_list=key_list)
    entries = selectors.entries_for(key_list=key_list, area=area, status=state, q=q, districts=districts)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(name, value) for name, value in (("q", q), ("status", state)) if value])
    return render_page(
        request,
        key_list.name,
        "review/directory/list.html",
        {
            "key_list": key_list,
            "past_deadline": key_list.is_past_deadline(),
            "page": page,
            "q": q,
            "status": state,
            "statuses": selectors.STATUSES,
            "query": query,
            "districts": districts,
            "can_edit": is_bureau(request.user),
            "entry_form": entry_form or KeyEntryForm(),
        },
        status,
    )


@oversight_required
def key_list(request, pk: int):
    return _list_page(request, selectors.key_list_for(pk=pk))


@bureau_required
@require_POST
def key_entry_new(request, pk: int):
    key_list = selectors.key_list_for(pk=pk)
    form = KeyEntryForm(request.POST)
    if form.is_valid():
        try:
            services.key_entry_add(key_list=key_list, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("uscc", error.messages[0])
    if form.errors:
        return _list_page(request, key_list, entry_form=form, status=400)
    messages.success(request, _("已加入清单。"))
    return redirect("review:key-list", pk=key_list.pk)


@bureau_required
@require_POST
def key_list_remind(request, pk: int):
    key_list = selectors.key_list_for(pk=pk)
    count = services.key_list_remind(key_list=key_list, actor=request.user)
    if count:
        messages.success(request, _("已向 %(n)d 家有平台账户且尚无备案的企业发送提醒。") % {"n": count})
    else:
        messages.info(request, _("没有需要提醒的企业：清单中有平台账户的企业均已有备案记录。"))
    return redirect("review:key-list", pk=key_list.pk)
