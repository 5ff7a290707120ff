import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from filings import outbox

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Sends queued work that is pending, and again what was sent but not done in time."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying every --interval seconds")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            if not loop:
                self._report(outbox.outbox_relay(older_than_seconds=0))
                return
            # A database that goes away for a moment must not end the loop: drop the broken
            # connection and try again at the next turn.
            close_old_connections()
            try:
                self._report(outbox.outbox_relay(older_than_seconds=0))
            except DatabaseError as error:
                log.warning("outbox relay: database unavailable (%s); trying again in %s s", error, interval)
                self.stderr.write(f"database unavailable: {error.__class__.__name__}")
            time.sleep(interval)

    def _report(self, sent: int) -> None:
        if sent:
            self.stdout.write(f"sent {sent}")
