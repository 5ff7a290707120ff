import logging
import os
import resource
import threading

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def import_task_modules(sender, **kwargs) -> None:
    """Registers every app's tasks in a web process too, as a worker does when it starts.

    Without a broker the outbox runs tasks in-process and looks them up by name in
    app.tasks (filings.outbox); nothing else would import e.g. filings.tasks there.
    """
    from django.apps import apps

    if apps.ready:
        sender.loader.import_default_modules()


def _warm_up_pdf() -> None:
    try:
        from filings.pdf import warm_up

        warm_up()
    except Exception:  # a worker that cannot warm up still serves its tasks
        logging.getLogger(__name__).exception("pdf warm-up failed")


@worker_process_init.connect
def limit_worker_memory(**kwargs) -> None:
    """A render that runs away fails with MemoryError instead of taking the machine with it."""
    from django.conf import settings

    limit_mb = settings.WORKER_MEMORY_LIMIT_MB
    if limit_mb:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@worker_process_init.connect
def warm_up_pdf_fonts(**kwargs) -> None:
    """Loads the CJK fonts once in each worker process (a prefork child, or the solo
    pool's own process), so no applicant waits for the first, slow render.

    In a thread: the prefork pool gives a child a few seconds to start and a cold
    fontconfig cache can take longer. A render that comes meanwhile waits for the
    warm-up on filings.pdf's render lock.
    """
    threading.Thread(target=_warm_up_pdf, name="pdf-warm-up", daemon=True).start()
