from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from accounts import roles, second_factor, services
from accounts.forms import LINGANG_DISTRICTS, ColleagueForm, LoginForm, RegistrationForm, SecondFactorForm
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
            in_lingang=bool(data["in_lingang"]),
            address=data["address"],
            contact_name=data["contact_name"],
            name=data["name"],
            mobile=data["mobile"],
            email=data["email"],
            password=data["password1"],
        )
        login(request, user, backend="accounts.backends.CachedModelBackend")
        messages.success(request, _("注册成功，欢迎使用。"))
        return redirect("filings:dashboard")
    return render(request, "accounts/register.html", {"form": form, "lingang_districts": ",".join(LINGANG_DISTRICTS)})


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


def _next_or_home(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(roles.home_url_name(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:second-factor-setup")
    form = SecondFactorForm(request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    locked = second_factor.locked_until(request.user, form.cleaned_data["token"]) if valid else None
    if locked is not None:
        form.add_error(
            "token",
            _("验证码错误次数过多，请于 %(time)s 之后再试。")
            % {"time": timezone.localtime(locked).strftime("%H:%M:%S")},
        )
    elif valid:
        device = second_factor.device_verify(request=request, token=form.cleaned_data["token"])
        if device is not None:
            if device.persistent_id.startswith("otp_static"):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("您使用了一个恢复码，还剩 %(left)s 个。请尽快在“两步验证”中重新设置验证器。") % {"left": left},
                )
            return redirect(_next_or_home(request))
        form.add_error("token", _("验证码不正确或已使用过，请输入验证器中当前显示的验证码。"))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_or_home(request)})


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Sets up an authenticator (required for bureau roles, optional for applicants) and shows
    the recovery codes once. Someone holding only the password may not replace a set-up one."""
    if user_has_device(request.user, confirmed=True) and not second_factor.is_verified(request.session):
        return redirect("accounts:second-factor")
    device = second_factor.pending_totp_device(user=request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.totp_confirm(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_or_home(request)})
        form.add_error("token", _("验证码不正确，请核对手机时间后输入验证器中当前显示的6位数字。"))
    context = {
        "form": form,
        "secret": second_factor.totp_secret(device),
        "qr": second_factor.totp_qr_data_uri(device),
        "required": roles.requires_second_factor(request.user),
        "next": _next_or_home(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)
