import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from accounts.models import Organisation, Role, User
from filings import validators


@transaction.atomic
def organisation_register(
    *,
    org_name: str,
    uscc: str,
    org_type: str,
    district: str,
    address: str,
    contact_name: str,
    name: str,
    mobile: str,
    email: str,
    password: str,
    in_lingang: bool = False,
) -> User:
    organisation = Organisation(
        name=org_name,
        uscc=uscc,
        org_type=org_type,
        district=district,
        in_lingang=in_lingang,
        address=address,
        contact_name=contact_name,
        contact_phone=mobile,
        division_code=validators.uscc_division(uscc),
    )
    organisation.full_clean()
    organisation.save()
    return User.objects.create_user(
        email, password, name=name, mobile=mobile, role=Role.APPLICANT, organisation=organisation
    )


@transaction.atomic
def colleague_add(*, organisation: Organisation, name: str, mobile: str, email: str, request) -> User:
    """A further user of the same organisation, who sets a password through the e-mailed link."""
    # A random password nobody knows: the reset link in the invitation lets them choose theirs.
    user = User.objects.create_user(
        email, secrets.token_urlsafe(32), name=name, mobile=mobile, role=Role.APPLICANT, organisation=organisation
    )
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        transaction.on_commit(
            lambda: form.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="registration/invite_subject.txt",
                email_template_name="registration/invite_email.txt",
            )
        )
    return user
