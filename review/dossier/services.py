"""The dossier (档案): every submitted version's data and 申请书 PDF, every material, the audit
checklists, scores, objections and decisions, the event log, and a manifest with the SHA-256 of
every file, as one ZIP.

Files are copied into the ZIP in chunks, so memory stays flat however large a filing or a call: a
filing's dossier streams to the browser as it is written (the first bytes leave before the last
file is read, and nothing is kept on disk); a call's is written by a task to a temporary file. The applicant's own dossier leaves out what the bureau
keeps to itself: audit notes, experts and their scores, objections and their objectors, the
names of staff and the addresses requests came from.
"""

import hashlib
import io
import itertools
import json
import tempfile
import zipfile
from collections.abc import Iterator
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


class _Sink(io.RawIOBase):
    """Where a streamed ZIP is written: it keeps only what was written since the last drain().
    It cannot seek, so zipfile writes each entry's sizes after its data (a data descriptor)."""

    def __init__(self):
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


@dataclass
class _Writer:
    """Adds files to the archive. Each method is a generator that yields, after every chunk, what
    the sink holds (nothing when the archive is written to a file): the caller streams it or just
    runs it."""

    archive: zipfile.ZipFile
    sink: _Sink | None = None
    manifest: list[dict] = field(default_factory=list)

    def _drained(self) -> bytes:
        return self.sink.drain() if self.sink is not None else b""

    def add_stream(self, name: str, stream):
        digest, size = hashlib.sha256(), 0
        method = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
        info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = method
        with self.archive.open(info, "w", force_zip64=True) as target:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
                yield self._drained()
        self.manifest.append({"path": name, "sha256": digest.hexdigest(), "size": size})
        yield self._drained()

    def add_json(self, name: str, value):
        data = json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()
        yield from self.add_stream(name, io.BytesIO(data))

    def add_file(self, name: str, file_field):
        """Copies a stored file in; False (and nothing added) when storage no longer has it."""
        try:
            stream = file_field.open("rb")
        except FileNotFoundError:
            return False
        with stream:
            yield from self.add_stream(name, stream)
        return True

    def finish(self):
        lines = "".join(f"{entry['sha256']}  {entry['path']}\n" for entry in self.manifest)
        self.archive.writestr("MANIFEST.sha256", lines.encode())
        self.archive.writestr(
            "manifest.json", json.dumps(self.manifest, ensure_ascii=False, indent=2).encode(), zipfile.ZIP_DEFLATED
        )
        yield self._drained()


def _safe(name: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|\x00' else c for c in name)[:120] or "file"


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _filing_entries(writer: _Writer, filing: Filing, *, prefix: str, for_applicant: bool):
    """Writes one filing's part of a dossier (a generator: see _Writer)."""
    yield from writer.add_json(
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
        yield from writer.add_json(
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
            yield from writer.add_file(f"{folder}申请书-v{version.number}.pdf", document.file)
    for material in filing.material_files.order_by("code", "uploaded_at", "id"):
        yield from writer.add_file(
            f"{prefix}materials/{material.code}-{material.pk}-{_safe(material.original_name)}", material.file
        )
    events = filing.events.select_related("actor").order_by("created_at", "id")
    yield from writer.add_json(
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
    yield from writer.add_json(
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
    yield from writer.add_json(
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
                if not (yield from writer.add_file(evidence, o.evidence)):
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
    yield from writer.add_json(f"{prefix}objections.json", objections)


def filing_dossier_stream(*, filing: Filing, for_applicant: bool = False) -> Iterator[bytes]:
    """The dossier of one filing, as the bytes of a ZIP while it is written: at most a chunk of a
    file in memory at a time, however large its materials."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer = _Writer(archive, sink)
        for data in itertools.chain(
            _filing_entries(writer, filing, prefix="", for_applicant=for_applicant), writer.finish()
        ):
            if data:
                yield data
    yield sink.drain()  # the central directory, written as the archive closes


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
                    for _written in _filing_entries(
                        writer, filing, prefix=f"{_safe(filing.number)}/", for_applicant=False
                    ):
                        pass
                    CallDossier.objects.filter(pk=dossier.pk).update(done=done)
                for _written in writer.finish():
                    pass
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
