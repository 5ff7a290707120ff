"""The dossier ZIP: a filing's for staff with every part and a manifest that matches its files;
the applicant's own without the bureau's notes, scores and objectors; a call's built by a task
through the outbox, with its progress, then downloaded."""

import hashlib
import io
import json
import os
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory
from api.tests.factories import in_publicity
from filings import kinds
from filings.tests.alliance_factories import MaterialFactory
from review.audit.services import audit_record
from review.dossier.models import CallDossier
from review.dossier.services import CHUNK
from review.models import Objection, PublicityEntry
from review.tests.desk import score, submitted_filing

pytestmark = pytest.mark.django_db

AUDIT_NOTE = "核查意见：章程第五条缺少退出机制"
EXPERT_NOTE = "专家意见：专利池规模偏小"
OBJECTOR = "赵异议"


def dossier_filing(capture):
    """A submitted filing with its PDF, a material, an audit, an expert's score and an objection.
    (The audit's comment goes to the applicant with the state change, so it is no secret.)"""
    with capture(execute=True):
        filing = submitted_filing()
    MaterialFactory(filing=filing, code="M2", original_name="联盟章程.pdf", uploaded_by=filing.created_by)
    checklist = {key: True for key, _label in kinds.get(filing.kind).audit_checklist}
    audit_record(filing=filing, actor=StaffFactory(), outcome="pass", checklist=checklist, comment=AUDIT_NOTE)
    assignment = score(filing, 82)
    assignment.comment = EXPERT_NOTE
    assignment.save(update_fields=["comment"])
    batch = in_publicity([filing])
    Objection.objects.create(
        entry=PublicityEntry.objects.get(batch=batch, filing=filing),
        name=OBJECTOR,
        phone="13800001111",
        reasons="成员单位名单有误",
    )
    filing.refresh_from_db()
    return filing


def unzip(response) -> dict[str, bytes]:
    return unzip_bytes(b"".join(response.streaming_content))


def unzip_bytes(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def assert_manifest_matches(files: dict[str, bytes]) -> None:
    listed = dict(line.split("  ", 1)[::-1] for line in files["MANIFEST.sha256"].decode().splitlines())
    contents = {name: data for name, data in files.items() if name not in ("MANIFEST.sha256", "manifest.json")}
    assert set(listed) == set(contents)
    assert {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()} == listed


def test_staff_dossier_of_a_filing_has_every_part_and_its_manifest_matches(client, django_capture_on_commit_callbacks):
    filing = dossier_filing(django_capture_on_commit_callbacks)
    client.force_login(StaffFactory())

    response = client.get(reverse("dossier:filing", args=[filing.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = unzip(response)
    assert_manifest_matches(files)
    assert files["versions/v1/申请书-v1.pdf"] == filing.versions.get().document.file.open("rb").read()
    assert json.loads(files["versions/v1/data.json"])["version"] == 1
    charter = filing.material_files.get(original_name="联盟章程.pdf")
    assert files[f"materials/M2-{charter.pk}-联盟章程.pdf"] == charter.file.open("rb").read()
    assert {name for name in files if name.startswith("materials/")} == {
        f"materials/{m.code}-{m.pk}-{m.original_name}" for m in filing.material_files.all()
    }
    assert json.loads(files["audits.json"])[0]["comment"] == AUDIT_NOTE
    assert json.loads(files["scores.json"])[0]["comment"] == EXPERT_NOTE
    assert json.loads(files["objections.json"])[0]["name"] == OBJECTOR
    assert [e["action"] for e in json.loads(files["events.json"])][:2] == ["submit", "audit_pass"]


def test_a_large_filings_dossier_streams_in_chunks_while_it_is_written(client, django_capture_on_commit_callbacks):
    filing = dossier_filing(django_capture_on_commit_callbacks)
    large = os.urandom(6 * CHUNK + 12345)  # incompressible: what goes in comes out at full size
    scan = MaterialFactory(filing=filing, code="M3", original_name="设备清单扫描件.pdf", content=large)
    client.force_login(StaffFactory())

    response = client.get(reverse("dossier:filing", args=[filing.pk]))

    assert isinstance(response, StreamingHttpResponse)
    assert "Content-Length" not in response  # sent while written: its length is not known beforehand
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    chunks = list(response.streaming_content)
    assert len(chunks) > 6
    assert max(len(chunk) for chunk in chunks) < 2 * CHUNK  # a chunk of a file at a time in memory
    files = unzip_bytes(b"".join(chunks))
    assert_manifest_matches(files)
    assert files[f"materials/M3-{scan.pk}-设备清单扫描件.pdf"] == large


def test_applicants_own_dossier_leaves_out_the_bureaus_notes_scores_and_objectors(
    client, django_capture_on_commit_callbacks
):
    filing = dossier_filing(django_capture_on_commit_callbacks)
    client.force_login(filing.created_by)

    files = unzip(client.get(reverse("dossier:applicant", args=[filing.pk])))

    assert_manifest_matches(files)
    assert "versions/v1/申请书-v1.pdf" in files
    assert not {"audits.json", "scores.json", "objections.json"} & set(files)
    everything = b"".join(files.values()).decode("utf-8", "replace")
    for secret in (EXPERT_NOTE, OBJECTOR, "13800001111", "recommendation", "checklist"):
        assert secret not in everything
    assert all(set(e) == {"time", "action", "from", "to", "comment"} for e in json.loads(files["events.json"]))


def test_dossiers_are_for_their_own_audiences(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submitted_filing()
    stranger = UserFactory()

    assert client.get(reverse("dossier:filing", args=[filing.pk])).status_code == 302  # to the login page
    client.force_login(filing.created_by)
    assert client.get(reverse("dossier:filing", args=[filing.pk])).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("dossier:applicant", args=[filing.pk])).status_code == 404


def test_a_calls_dossier_is_built_by_a_task_with_progress_and_downloaded(client, django_capture_on_commit_callbacks):
    first = dossier_filing(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = submitted_filing()
    second.call = first.call
    second.save(update_fields=["call"])  # test setup: both in one call
    client.force_login(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossier:call", args=[first.call_id]))

    assert response.status_code == 302
    dossier = CallDossier.objects.get()
    assert (dossier.state, dossier.done, dossier.total) == ("done", 2, 2)
    page = client.get(reverse("dossier:call", args=[first.call_id])).content.decode()
    assert "2 / 2 件（100%）" in page
    download = client.get(reverse("dossier:download", args=[dossier.pk]))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == dossier.sha256
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert_manifest_matches(files)
    assert {name.split("/")[0] for name in files if "/" in name} == {first.number, second.number}


def test_a_second_request_while_a_calls_dossier_is_queued_is_the_same_build(staff):
    from filings.tests.factories import CallFactory
    from review.dossier.services import call_dossier_request

    call = CallFactory()

    first = call_dossier_request(call=call, actor=staff)
    again = call_dossier_request(call=call, actor=staff)

    assert again == first
    assert CallDossier.objects.count() == 1
