"""What changed between two submitted versions: the pure diff, and its labelled form for staff."""

import pgtrigger
import pytest
from django.urls import reverse

from filings import kinds
from filings.models import FilingVersion
from filings.rules import findings_summary
from review.queue.diff import Change, ChangeKind, snapshot_diff
from review.queue.versions import ChangeRow, materials_changes, version_changes, version_sections
from review.tests.desk import queued

MEMBER_A = {"category": "enterprise", "name": "上海甲有限公司", "amount": "100.00"}
MEMBER_B = {"category": "university", "name": "上海某大学", "amount": "80.00"}
MEMBER_C = {"category": "financial", "name": "上海某银行", "amount": "5.00"}


def test_snapshot_diff_identical_versions_have_no_changes():
    data = {"detail": {"name": "联盟"}, "members": [MEMBER_A, MEMBER_B]}

    assert snapshot_diff(data, {**data}) == []


def test_snapshot_diff_changed_field_gives_old_and_new():
    old = {"detail": {"name": "旧联盟", "postcode": "201203"}}
    new = {"detail": {"name": "新联盟", "postcode": "201203"}}

    assert snapshot_diff(old, new) == [Change("detail", "name", None, "旧联盟", "新联盟")]


def test_snapshot_diff_field_only_in_one_version_compares_with_none():
    assert snapshot_diff({"detail": {}}, {"detail": {"cnipa_filed": True}}) == [
        Change("detail", "cnipa_filed", None, None, True)
    ]


def test_snapshot_diff_row_inserted_in_the_middle_is_one_added_row():
    old = {"members": [MEMBER_A, MEMBER_C]}
    new = {"members": [MEMBER_A, MEMBER_B, MEMBER_C]}

    assert snapshot_diff(old, new) == [Change("members", "", 2, None, MEMBER_B, ChangeKind.ADDED)]


def test_snapshot_diff_removed_row_is_numbered_in_the_old_version():
    old = {"members": [MEMBER_A, MEMBER_B, MEMBER_C]}
    new = {"members": [MEMBER_A, MEMBER_C]}

    assert snapshot_diff(old, new) == [Change("members", "", 2, MEMBER_B, None, ChangeKind.REMOVED)]


def test_snapshot_diff_edited_row_lists_its_changed_fields():
    edited = {**MEMBER_B, "amount": "95.50"}

    changes = snapshot_diff({"members": [MEMBER_A, MEMBER_B]}, {"members": [MEMBER_A, edited]})

    assert changes == [Change("members", "amount", 2, "80.00", "95.50")]


def test_snapshot_diff_section_only_in_the_new_version_adds_its_rows():
    assert snapshot_diff({}, {"pools": [{"name": "池"}]}) == [
        Change("pools", "", 1, None, {"name": "池"}, ChangeKind.ADDED)
    ]


def test_snapshot_diff_plain_value_section_changes_as_a_whole():
    assert snapshot_diff({"note": "a"}, {"note": "b"}) == [Change("note", "", None, "a", "b")]


def test_version_changes_alliance_uses_the_form_labels_and_choice_labels():
    spec = kinds.get("ALLIANCE")
    old = {"detail": {"contact_name": "李联系", "alliance_type": "social"}, "members": [MEMBER_A]}
    new = {"detail": {"contact_name": "王联系", "alliance_type": "enterprise"}, "members": [MEMBER_A, MEMBER_B]}

    rows = version_changes(spec, old, new)

    assert rows == [
        ChangeRow("联盟备案申请书", None, "", "联系人", "李联系", "王联系", ChangeKind.CHANGED),
        ChangeRow("联盟备案申请书", None, "", "联盟类型", "社会团体式", "企业法人式", ChangeKind.CHANGED),
        ChangeRow(
            "联盟成员",
            2,
            "上海某大学",
            "",
            "",
            "类别：高等学校；单位名称：上海某大学；金额（万元）：80.00",
            ChangeKind.ADDED,
        ),
    ]


def material(code: str, name: str, sha: str, pk: int) -> dict:
    return {"id": pk, "code": code, "name": name, "sha256": sha * 64, "size": 10}


def test_materials_changes_are_matched_by_kind_and_hash_not_by_position():
    spec = kinds.get("ALLIANCE")
    charter, members = material("M2", "章程.pdf", "a", 1), material("M3", "成员名单.pdf", "c", 2)
    old = [charter, members, material("M4", "专利清单.pdf", "d", 3)]
    # Uploaded again in another order, the charter replaced, the patent list gone, a scan added.
    new = [
        material("M1", "申请书签章件.pdf", "e", 9),
        members | {"id": 8},
        material("M2", "章程（签章版）.pdf", "b", 7),
    ]

    rows = materials_changes(old, new, spec)

    assert [(r.row_name.split(" ")[0], r.field, r.old, r.new, r.kind) for r in rows] == [
        ("M1", "", "", "申请书签章件.pdf（eeeeeeee）", ChangeKind.ADDED),
        ("M2", "替换", "章程.pdf（aaaaaaaa）", "章程（签章版）.pdf（bbbbbbbb）", ChangeKind.CHANGED),
        ("M4", "", "专利清单.pdf（dddddddd）", "", ChangeKind.REMOVED),
    ]
    assert rows[1].row_name == f"M2 {spec.material('M2').label}"


@pytest.mark.django_db
def test_materials_diff_on_the_filing_page_says_added_removed_replaced_without_ids_or_whole_hashes(staff_client):
    filing = queued(versions=2)
    first, second = filing.versions.order_by("number")
    with pgtrigger.ignore("filings.FilingVersion:versions_append_only"):  # test setup edits frozen versions
        FilingVersion.objects.filter(pk=first.pk).update(materials=[material("M2", "章程.pdf", "a", 41)])
        FilingVersion.objects.filter(pk=second.pk).update(
            materials=[material("M2", "章程（签章版）.pdf", "b", 42), material("M3", "成员名单.pdf", "c", 43)]
        )

    html = staff_client.get(reverse("review:filing", args=[filing.pk]), {"diff": "1..2"}).content.decode()

    table = html.split("diff-table")[1].split("</table>")[0]
    assert "替换" in table and "新增" in table and "章程（签章版）.pdf（bbbbbbbb）" in table
    assert "a" * 64 not in table and "b" * 64 not in table and ">42<" not in table


def test_version_sections_group_detail_fields_by_form_step():
    spec = kinds.get("ALLIANCE")
    data = {"detail": {"contact_name": "李联系", "name": "联盟", "std_total": 5}, "members": [MEMBER_A]}

    detail, members = version_sections(spec, data)

    assert [(g.title, [(i.label, i.value) for i in g.items]) for g in detail.groups] == [
        ("封面", [("联系人", "李联系")]),
        ("一、联盟基本信息", [("联盟名称", "联盟")]),
        ("", [("std_total", "5")]),
    ]
    assert detail.groups[-1].items[0].labelled is False
    assert (members.title, members.columns, members.rows) == (
        "联盟成员",
        ["类别", "单位名称", "金额（万元）"],
        [["企业", "上海甲有限公司", "100.00"]],
    )


def test_findings_summary_counts_fail_and_review_and_keeps_badges():
    findings = [
        {"rule": "AL-1", "verdict": "pass"},
        {"rule": "AL-2", "verdict": "review"},
        {"rule": "AL-3", "verdict": "review"},
        {"rule": "full_chain", "verdict": "badge", "message": "资源要素齐全"},
    ]

    summary = findings_summary(findings)

    assert (summary["fail"], summary["review"], summary["badges"]) == (0, 2, [findings[3]])
