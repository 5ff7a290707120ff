"""Writes of the registry: the gapless number of a call, given on registration (SPEC §4)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from filings import workflow
from filings.models import Call, Filing


def registry_entry_next(filing: Filing) -> dict:
    """The next registry number of the filing's call, as the fields the registering transition sets."""
    # The call row is the lock: registrations within a call take their numbers one at a time.
    call = Call.objects.select_for_update(no_key=True).get(pk=filing.call_id)
    last = Filing.objects.filter(call=call).aggregate(last=Max("registry_seq"))["last"] or 0
    seq = last + 1
    return {"registry_seq": seq, "registry_number": call.registry_number(seq), "registered_at": timezone.now()}


@transaction.atomic
def filing_register(*, filing: Filing, actor, client_ip=None) -> Filing:
    """Registers the filing with the next number of its call: unique and without gaps."""
    return workflow.filing_transition(
        filing=filing, action="register", actor=actor, client_ip=client_ip, extra=registry_entry_next(filing)
    )
