"""What changed between two submitted versions: the pure diff, and its labelled form for staff."""

from filings import kinds
from review.queue.diff import Change, ChangeKind, snapshot_diff
from review.queue.versions import ChangeRow, findings_summary, materials_changes, version_changes, version_sections

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


def test_materials_changes_replaced_file_shows_old_and_new_name():
    old = [{"id": 1, "code": "M2", "name": "章程.pdf", "sha256": "a" * 64, "size": 10}]
    new = [{"id": 7, "code": "M2", "name": "章程（签章版）.pdf", "sha256": "b" * 64, "size": 12}]

    rows = materials_changes(old, new)

    assert [(r.section, r.row, r.field, r.old, r.new) for r in rows] == [
        ("申报材料", 1, "文件编号", "1", "7"),
        ("申报材料", 1, "文件名", "章程.pdf", "章程（签章版）.pdf"),
        ("申报材料", 1, "SHA-256", "a" * 64, "b" * 64),
        ("申报材料", 1, "大小（字节）", "10", "12"),
    ]


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
