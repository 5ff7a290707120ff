"""Reads of the expert review: who may be assigned, and an expert's own assignments."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from accounts.models import Role, User
from filings.models import Filing
from review.models import ExpertAssignment


def experts_for_assignment(filing: Filing) -> QuerySet[User]:
    """Active experts not yet assigned to the filing; whether one is in conflict is the service's call."""
    return (
        User.objects.filter(role=Role.EXPERT, is_active=True).exclude(assignments__filing=filing).order_by("name", "id")
    )


def assignments_for_expert(expert) -> QuerySet[ExpertAssignment]:
    """The expert's own assignments, open ones first (soonest due first), then the submitted ones."""
    return (
        ExpertAssignment.objects.filter(expert=expert)
        .select_related("filing__call")
        .annotate(
            done=Case(
                When(submitted_at__isnull=True, status=ExpertAssignment.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("done", "due_at", "id")
    )
