from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import roles, services
from accounts.forms import ColleagueForm, LoginForm, RegistrationForm
from portal.ratelimits import per_ip


@require_http_methods(["GET", "POST"])
@per_ip("register")
def register(request):
    if request.user.is_authenticated:
        return redirect(roles.home_url_name(request.user))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.organisation_register(
            org_name=data["org_name"],
            uscc=data["uscc"],
            org_type=data["org_type"],
            district=data["district"],
            address=data["address"],
            contact_name=data["contact_name"],
            name=data["name"],
            mobile=data["mobile"],
            email=data["email"],
            password=data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎使用。"))
        return redirect("filings:dashboard")
    return render(request, "accounts/register.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def after_login(request):
    return redirect(roles.home_url_name(request.user))


@roles.applicant_required
@require_http_methods(["GET", "POST"])
def colleagues(request):
    organisation = request.user.organisation
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.colleague_add(organisation=organisation, request=request, **form.cleaned_data)
        messages.success(request, _("已添加用户，设置密码的邮件已发送至 %(email)s。") % form.cleaned_data)
        return redirect("accounts:colleagues")
    users = organisation.users.order_by("date_joined")
    return render(request, "accounts/colleagues.html", {"form": form, "users": users, "organisation": organisation})


def locked_out(request, response, credentials):
    """AXES_LOCKOUT_CALLABLE: the lockout page says until when, answering 429."""
    username = get_client_username(request, credentials)
    last_failure = (
        AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
        if username
        else None
    )
    ends_at = (last_failure or timezone.now()) + get_cool_off(request)
    return render(request, "accounts/locked_out.html", {"ends_at": ends_at}, status=429)
