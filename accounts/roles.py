"""Every role check of the portal lives here.

Views use the decorators; templates get the predicates through the context
processor; services call the predicates. Nothing else looks at `user.role`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import Role

# The government side: bureau staff, administrators and district bureaus (for checks that
# apply to every official account alike, e.g. a second factor).
BUREAU_SIDE_ROLES = frozenset({Role.STAFF, Role.ADMIN, Role.DISTRICT})


def is_bureau_side(user) -> bool:
    return user.is_authenticated and user.role in BUREAU_SIDE_ROLES


def is_applicant(user) -> bool:
    return user.is_authenticated and user.role == Role.APPLICANT and user.organisation_id is not None


def is_bureau(user) -> bool:
    """Bureau staff (审核人员) and administrators."""
    return user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN)


def is_expert(user) -> bool:
    return user.is_authenticated and user.role == Role.EXPERT


def is_district(user) -> bool:
    """A district bureau (区知识产权局, or the 临港新片区市场监管局): reads its own area, acts on nothing."""
    return user.is_authenticated and user.role == Role.DISTRICT and bool(user.area)


def is_oversight(user) -> bool:
    """Who sees the programme's statistics and the key-enterprise coverage: the bureau and district bureaus."""
    return is_bureau(user) or is_district(user)


def area_of(user) -> str | None:
    """The one area a user's reads are limited to; None for the city bureau (every area)."""
    return user.area if is_district(user) else None


def is_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


# Roles that must sign in with a second factor (an authenticator's TOTP code or a recovery
# code): whoever decides on or sees others' filings. "district" is the district bureau role
# to come (SPEC §1); naming it here is all it will need. Applicants may opt in.
SECOND_FACTOR_ROLES = frozenset({Role.STAFF, Role.EXPERT, Role.ADMIN, Role.DISTRICT})


def requires_second_factor(user) -> bool:
    return user.is_authenticated and (user.role in SECOND_FACTOR_ROLES or user.is_superuser)


def home_url_name(user) -> str:
    """Where a signed-in user starts."""
    if is_bureau(user):
        return "review:queue"
    if is_expert(user):
        return "review:expert-home"
    if is_district(user):
        return "review:statistics"
    if is_applicant(user):
        return "filings:dashboard"
    return "public:home"


def role_required(predicate: Callable[[object], bool]):
    """Anonymous users go to the login page; signed-in users of another role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied("您的账户角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


applicant_required = role_required(is_applicant)
bureau_required = role_required(is_bureau)
district_required = role_required(is_district)
oversight_required = role_required(is_oversight)
expert_required = role_required(is_expert)
