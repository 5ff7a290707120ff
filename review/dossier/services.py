"""The dossier (档案): every submitted version's data and 申请书 PDF, every material, the audit
checklists, scores, objections and decisions, the event log, and a manifest with the SHA-256 of
every file, as one ZIP.

Files are copied into the ZIP in chunks from storage to a temporary file on disk, so memory stays
flat however large a filing or a call. The applicant's own dossier leaves out what the bureau
keeps to itself: audit notes, experts and their scores, objections and their objectors, the
names of staff and the addresses requests came from.
"""

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from filings import outbox
from filings.models import Call, Filing
from review.dossier.models import CallDossier

CHUNK = 1024 * 1024
# PDFs and images are compressed already; JSON is not.
_STORED = (".pdf", ".jpg", ".jpeg", ".png")


@dataclass
class _Writer:
    archive: zipfile.ZipFile
    manifest: list[dict] = field(default_factory=list)

    def add_stream(self, name: str, stream) -> None:
        digest, size = hashlib.sha256(), 0
        method = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
        info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = method
        with self.archive.open(info, "w", force_zip64=True) as target:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.manifest.append({"path": name, "sha256": digest.hexdigest(), "size": size})

    def add_json(self, name: str, value) -> None:
        data = json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()
        self.add_stream(name, io.BytesIO(data))

    def add_file(self, name: str, file_field) -> bool:
        try:
            with file_field.open("rb") as stream:
                self.add_stream(name, stream)
        except FileNotFoundError:
            return False
        return True

    def finish(self) -> None:
        lines = "".join(f"{entry['sha256']}  {entry['path']}\n" for entry in self.manifest)
        self.archive.writestr("MANIFEST.sha256", lines.encode())
        self.archive.writestr(
            "manifest.json", json.dumps(self.manifest, ensure_ascii=False, indent=2).encode(), zipfile.ZIP_DEFLATED
        )


def _safe(name: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|\x00' else c for c in name)[:120] or "file"


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _filing_entries(writer: _Writer, filing: Filing, *, prefix: str, for_applicant: bool) -> None:
    writer.add_json(
        f"{prefix}filing.json",
        {
            "number": filing.number,
            "kind": filing.kind,
            "title": filing.title,
            "state": filing.state,
            "organisation": filing.organisation.name,
            "call": filing.call.title,
            "registry_number": filing.registry_number,
            "registered_at": _when(filing.registered_at),
            "submitted_at": _when(filing.submitted_at),
        },
    )
    for version in filing.versions.select_related("document").order_by("number"):
        folder = f"{prefix}versions/v{version.number}/"
        writer.add_json(
            f"{folder}data.json",
            {
                "version": version.number,
                "submitted_at": _when(version.submitted_at),
                "verification_code": version.verification_code,
                "data": version.data,
                "findings": version.findings,
                "materials": version.materials,
            },
        )
        document = getattr(version, "document", None)
        if document is not None:
            writer.add_file(f"{folder}申请书-v{version.number}.pdf", document.file)
    for material in filing.material_files.order_by("code", "uploaded_at", "id"):
        writer.add_file(
            f"{prefix}materials/{material.code}-{material.pk}-{_safe(material.original_name)}", material.file
        )
    events = filing.events.select_related("actor").order_by("created_at", "id")
    writer.add_json(
        f"{prefix}events.json",
        [
            {
                "time": _when(e.created_at),
                "action": e.action,
                "from": e.from_state,
                "to": e.to_state,
                "comment": e.comment,
                **({} if for_applicant else {"actor": e.actor.name if e.actor else None, "ip": e.client_ip}),
            }
            for e in events
        ],
    )
    if for_applicant:
        return
    writer.add_json(
        f"{prefix}audits.json",
        [
            {
                "time": _when(a.created_at),
                "version": a.version.number,
                "outcome": a.outcome,
                "checklist": a.checklist,
                "comment": a.comment,
                "staff": a.staff.name,
            }
            for a in filing.audits.select_related("version", "staff").order_by("created_at", "id")
        ],
    )
    writer.add_json(
        f"{prefix}scores.json",
        [
            {
                "expert": s.expert.name,
                "assigned_at": _when(s.assigned_at),
                "submitted_at": _when(s.submitted_at),
                "scores": s.scores,
                "total": s.total,
                "recommendation": s.recommendation,
                "comment": s.comment,
            }
            for s in filing.expert_assignments.select_related("expert").order_by("assigned_at", "id")
        ],
    )
    objections = []
    for entry in filing.publicity_entries.select_related("batch").order_by("batch__starts_on", "id"):
        for o in entry.objections.select_related("decided_by").order_by("created_at", "id"):
            evidence = ""
            if o.evidence:
                evidence = f"{prefix}objections/{o.pk}-evidence"
                if not writer.add_file(evidence, o.evidence):
                    evidence = ""
            objections.append(
                {
                    "batch": entry.batch.title,
                    "time": _when(o.created_at),
                    "name": o.name,
                    "organisation": o.organisation,
                    "phone": o.phone,
                    "email": o.email,
                    "reasons": o.reasons,
                    "evidence": evidence,
                    "decision": o.decision,
                    "decision_reason": o.decision_reason,
                    "decided_by": o.decided_by.name if o.decided_by else None,
                    "decided_at": _when(o.decided_at),
                }
            )
    writer.add_json(f"{prefix}objections.json", objections)


def filing_dossier_build(*, filing: Filing, for_applicant: bool = False):
    """The dossier of one filing as an open temporary file (a ZIP), positioned at its start."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams it out and closes it
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer = _Writer(archive)
        _filing_entries(writer, filing, prefix="", for_applicant=for_applicant)
        writer.finish()
    target.seek(0)
    return target


def call_dossier_filings(call: Call):
    return call.filings.exclude(number=None).select_related("organisation", "call").order_by("number")


@transaction.atomic
def call_dossier_request(*, call: Call, actor) -> CallDossier:
    """Queues a build of the call's dossier; while one is queued or running, that one is the answer."""
    Call.objects.select_for_update(no_key=True).get(pk=call.pk)
    unfinished = CallDossier.objects.filter(
        call=call, state__in=[CallDossier.State.PENDING, CallDossier.State.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    dossier = CallDossier.objects.create(call=call, requested_by=actor, total=call_dossier_filings(call).count())
    outbox.outbox_enqueue(
        task="review.dossier.tasks.build_call_dossier", key=f"dossier:{dossier.pk}", dossier_id=dossier.pk
    )
    return dossier


def call_dossier_build(*, dossier_id: int) -> CallDossier:
    """Builds a call's dossier, one filing after another, saying how far it got after each."""
    dossier = CallDossier.objects.select_related("call").get(pk=dossier_id)
    if dossier.state == CallDossier.State.DONE:
        return dossier
    filings = call_dossier_filings(dossier.call)
    CallDossier.objects.filter(pk=dossier.pk).update(state=CallDossier.State.RUNNING, total=filings.count(), done=0)
    try:
        with tempfile.TemporaryFile() as target:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                writer = _Writer(archive)
                for done, filing in enumerate(filings.iterator(chunk_size=50), start=1):
                    _filing_entries(writer, filing, prefix=f"{_safe(filing.number)}/", for_applicant=False)
                    CallDossier.objects.filter(pk=dossier.pk).update(done=done)
                writer.finish()
            target.seek(0)
            digest = hashlib.sha256()
            while chunk := target.read(CHUNK):
                digest.update(chunk)
            size = target.tell()
            target.seek(0)
            dossier.file.save(f"call-{dossier.call_id}-{dossier.pk}.zip", File(target), save=False)
    except Exception as error:
        CallDossier.objects.filter(pk=dossier.pk).update(state=CallDossier.State.FAILED, error=str(error)[:1000])
        raise
    CallDossier.objects.filter(pk=dossier.pk).update(
        state=CallDossier.State.DONE,
        file=dossier.file.name,
        size=size,
        sha256=digest.hexdigest(),
        finished_at=timezone.now(),
    )
    dossier.refresh_from_db()
    return dossier
