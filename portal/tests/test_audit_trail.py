"""The audit trail cannot be edited, and the history of what staff change is kept.

PostgreSQL triggers (django-pgtrigger) refuse UPDATE and DELETE of events, submitted
versions and audit records however they are issued; django-pghistory keeps each change of
calls, roles, expert scores and objection decisions.
"""

import pytest
from django.db import InternalError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import ExpertFactory, StaffFactory
from filings.models import Call, Filing, FilingEvent, FilingVersion
from filings.services import filing_submit
from filings.states import State
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.threads import skip_unless_postgres
from review.audit import services as audit_services
from review.experts import services as experts_services
from review.experts.tests.test_experts import score_post
from review.models import AuditRecord, ExpertAssignment, Objection
from review.publicity import services as publicity_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


@pytest.fixture
def audited():
    """A filing submitted (a version and an event) and returned by staff (an audit record and an event)."""
    filing = complete_alliance_filing()
    filing_submit(filing=filing, actor=filing.created_by)
    audit_services.audit_record(
        filing=Filing.objects.get(pk=filing.pk),
        actor=StaffFactory(),
        outcome=AuditRecord.Outcome.RETURN,
        checklist={"charter": False},
        comment="请补充章程",
    )
    return filing


def queryset_update(model):
    column = {FilingEvent: "comment", FilingVersion: "findings", AuditRecord: "comment"}[model]
    model.objects.update(**{column: [] if column == "findings" else "改写"})


def orm_delete(model):
    model.objects.all().delete()


def raw_update(model):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET id = id")


def raw_delete(model):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.mark.parametrize("model", [FilingEvent, FilingVersion, AuditRecord], ids=lambda m: m.__name__)
@pytest.mark.parametrize("change", [queryset_update, orm_delete, raw_update, raw_delete])
def test_audit_trail_rows_refuse_update_and_delete(audited, model, change):
    before = list(model.objects.order_by("pk").values())
    assert before

    # A version still referenced is also refused by Django's PROTECT before the database sees it.
    with (
        pytest.raises((InternalError, ProtectedError), match=r"pgtrigger: Cannot update or delete rows|protected"),
        transaction.atomic(),
    ):
        change(model)

    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.django_db(transaction=True)
def test_flush_of_the_test_database_still_empties_the_audit_trail(audited):
    """Transactional tests end with a flush (TRUNCATE), which the triggers leave alone."""
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)

    assert not FilingEvent.objects.exists() and not FilingVersion.objects.exists()


def test_call_changes_are_kept(audited):
    call = Call.objects.get()
    title, closes_at = call.title, call.closes_at
    Call.objects.filter(pk=call.pk).update(title="改过标题的通知")

    history = list(call.events.order_by("pgh_id").values_list("pgh_label", "title", "closes_at"))

    assert history == [("insert", title, closes_at), ("update", "改过标题的通知", closes_at)]


def test_role_changes_are_kept_without_passwords():
    user = StaffFactory()
    User.objects.filter(pk=user.pk).update(role="admin")
    User.objects.filter(pk=user.pk).update(password="changed", last_login=None)  # not a role change

    history = list(user.role_events.order_by("pgh_id").values_list("pgh_label", "role"))

    assert history == [("insert", "staff"), ("update", "admin")]
    assert "password" not in {f.name for f in user.role_events.model._meta.fields}


def test_objection_decisions_are_kept_without_the_objectors_details(audited):
    Filing.objects.filter(pk=audited.pk).update(state=State.REVIEWED)
    staff = StaffFactory()
    batch = publicity_services.publicity_publish(
        call=audited.call, filings=[audited], actor=staff, starts_on=timezone.localdate(), title="公示"
    )
    objection = Objection.objects.create(entry=batch.entries.get(), name="赵异议", phone="13912340000", reasons="理由")

    publicity_services.objection_decide(objection=objection, actor=staff, uphold=False, reason="经核实不成立")

    history = list(objection.decision_events.order_by("pgh_id").values_list("pgh_label", "decision", "decision_reason"))
    assert history == [("insert", "pending", ""), ("update", "dismissed", "经核实不成立")]
    fields = {f.name for f in objection.decision_events.model._meta.fields}
    assert not fields & {"name", "phone", "email", "organisation", "client_ip"}


def test_expert_score_history_says_who_scored_through_which_request(client, audited):
    Filing.objects.filter(pk=audited.pk).update(state=State.EXPERT_REVIEW)
    expert = ExpertFactory()
    assignment = experts_services.expert_assign(filing=Filing.objects.get(pk=audited.pk), expert=expert, actor=StaffFactory())
    client.force_login(expert)

    response = client.post(reverse("review:expert-score", args=[assignment.pk]), score_post(), REMOTE_ADDR="192.0.2.5")

    assert response.status_code == 302
    scored = assignment.events.order_by("pgh_id").last()
    assert scored.recommendation == ExpertAssignment.Recommendation.APPROVE
    assert scored.pgh_context.metadata["user"] == expert.pk
    assert scored.pgh_context.metadata["request_id"] == response["X-Request-ID"]
    assert scored.pgh_context.metadata["client_ip"] == "192.0.2.5"
