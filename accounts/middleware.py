from django.shortcuts import redirect
from django.utils.http import urlencode

from accounts import roles, second_factor

# The pages a signed-in user who still owes the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {"accounts:second-factor", "accounts:second-factor-setup", "accounts:logout"}


class SecondFactorMiddleware:
    """A session that owes its second factor (accounts.second_factor) reaches nothing but the
    second-factor pages and sign-out until it is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or second_factor.is_verified(request.session):
            return None
        required = request.session.get(second_factor.REQUIRED_SESSION_KEY)
        if required is None:  # a session from before two-factor sign-in
            required = request.session[second_factor.REQUIRED_SESSION_KEY] = second_factor.is_required(user)
        # A role given while signed in asks for the second factor at once.
        required = required or roles.requires_second_factor(user)
        if not required or request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{_second_factor_url(user)}?{query}")


def _second_factor_url(user) -> str:
    from django.urls import reverse
    from django_otp import user_has_device

    name = "accounts:second-factor" if user_has_device(user, confirmed=True) else "accounts:second-factor-setup"
    return reverse(name)
