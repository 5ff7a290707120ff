"""The virus scan of every stored upload, by ClamAV's clamd (on when PORTAL_CLAMD_ADDRESS is set).

An upload model inherits `filings.models.ScannedUpload`. Its service calls `upload_hold` before
saving a new file (the upload waits "待扫描") and `upload_scan_queue` after, in the same
transaction; the scan runs as a task (`upload_scan`). Only what the scan passed is served;
an infected file is kept in storage as evidence and served to nobody, staff included.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.db import transaction

from filings import outbox
from filings.models import ScannedUpload, ScanState


def _clamd():
    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket

    address = settings.CLAMD_ADDRESS
    if address.startswith("/"):
        return ClamdUnixSocket(path=address, timeout=settings.CLAMD_TIMEOUT_SECONDS)
    host, _sep, port = address.rpartition(":")
    return ClamdNetworkSocket(host=host or "127.0.0.1", port=int(port), timeout=settings.CLAMD_TIMEOUT_SECONDS)


def upload_hold(upload: ScannedUpload) -> None:
    """A new file: waits for the scan when scanning is on, else is served at once."""
    upload.scan_state = ScanState.PENDING if settings.CLAMD_ADDRESS else ScanState.CLEAN
    upload.scan_result = ""


def upload_scan_queue(upload: ScannedUpload) -> None:
    """Queues the scan of a saved upload that waits for it (in the caller's transaction)."""
    if upload.scan_state != ScanState.PENDING:
        return
    stored = getattr(upload, upload.scanned_file).name
    # One message per stored file: a replaced file (a new 诚信承诺书) is scanned again.
    digest = hashlib.sha256(stored.encode()).hexdigest()[:16]
    label = upload._meta.label_lower
    outbox.outbox_enqueue(
        task="filings.tasks.upload_scan", key=f"scan:{label}:{upload.pk}:{digest}", model=label, pk=upload.pk
    )


def upload_scan(*, model: str, pk) -> str:
    """Scans a stored upload (run as a task; safe to run twice).

    Clean: served from now on. Infected: never served to anyone, and what the model's
    `scan_infected` says (taken out of the draft, the 备案主体 returned…). An unreachable clamd
    raises, and the task tries again (the file stays "待扫描" meanwhile).
    """
    model_class = apps.get_model(model)
    upload = model_class.objects.filter(pk=pk).first()
    if upload is None or upload.scan_state != ScanState.PENDING:
        return upload.scan_state if upload else "missing"
    scanned = getattr(upload, upload.scanned_file)
    with scanned.open("rb") as stream:
        results = _clamd().instream(stream)
    status, reason = next(iter(results.values()), ("OK", None))
    with transaction.atomic():
        locked = model_class.objects.select_for_update().get(pk=pk)
        if locked.scan_state != ScanState.PENDING or getattr(locked, locked.scanned_file).name != scanned.name:
            return locked.scan_state  # replaced meanwhile: the new file's own message scans it
        changed = []
        if status == "FOUND":
            locked.scan_state = ScanState.INFECTED
            locked.scan_result = str(reason)[:200]
            changed = locked.scan_infected()
        elif status == "OK":
            locked.scan_state = ScanState.CLEAN
        else:
            raise ConnectionError(f"clamd answered {status}: {reason}")
        locked.save(update_fields=["scan_state", "scan_result", *changed])
    return locked.scan_state
