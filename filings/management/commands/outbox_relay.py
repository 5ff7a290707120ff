import time

from django.core.management.base import BaseCommand

from filings import outbox


class Command(BaseCommand):
    help = "Sends queued work that could not reach the broker when it was created."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying every --interval seconds")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            sent = outbox.outbox_relay(older_than_seconds=0)
            if sent:
                self.stdout.write(f"sent {sent}")
            if not loop:
                return
            time.sleep(interval)
