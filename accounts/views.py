from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import roles, services
from accounts.forms import ColleagueForm, LoginForm, RegistrationForm


@require_http_methods(["GET", "POST"])
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
