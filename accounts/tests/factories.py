import factory
from stdnum.cn import uscc as stdnum_uscc

from accounts.models import District, Organisation, OrganisationType, Role, User

PASSWORD = "Correct-Horse-2024"


def make_uscc(serial: int, division: str = "310115", category: str = "91") -> str:
    """A valid 统一社会信用代码 for tests: the check character comes from python-stdnum."""
    body = f"{category}{division}{serial:09d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"上海测试科技有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(100000 + n))
    org_type = OrganisationType.ENTERPRISE
    district = District.PUDONG
    division_code = factory.LazyAttribute(lambda o: o.uscc[2:8])
    address = "上海市浦东新区张江路1号"
    contact_name = "王联系"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"用户{n}")
    mobile = "13800138000"
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    organisation = None


class ExpertFactory(UserFactory):
    role = Role.EXPERT
    organisation = None
    expert_organisation_name = "上海交通大学"


class AdminFactory(UserFactory):
    role = Role.ADMIN
    organisation = None
    is_superuser = True


class DistrictUserFactory(UserFactory):
    """A district bureau's user (区知识产权局), of 徐汇区 unless told."""

    role = Role.DISTRICT
    organisation = None
    area = "徐汇区"
