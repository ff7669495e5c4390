from datetime import date

import factory
from allauth.account.models import EmailAddress

from organisations.models import Membership, Organisation, User
from organisations.roles import OrgRole
from programmes.models import Programme
from programmes.services import programme_create, programme_member_add

PASSWORD = "a-long-test-password"
# The keys of the `people` fixture: one person per role, plus two who hold none in the programme.
ALL_ROLES = [
    "coordinator",
    "steering",
    "senior",
    "junior",
    "supervisor",
    "executive",
    "no_role",
    "org_admin",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    time_zone = "Europe/London"


def member(organisation: Organisation, role: str = OrgRole.MEMBER, **user_fields: object) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def programme(
    organisation: Organisation,
    *,
    coordinator: User | None = None,
    start_date: date = date(2026, 9, 1),
    name: str = "Pilot programme",
    reminder_lead_days: int = 7,
) -> Programme:
    coordinator = coordinator or member(organisation)
    return programme_create(
        organisation=organisation,
        name=name,
        start_date=start_date,
        created_by=coordinator,
        reminder_lead_days=reminder_lead_days,
    )


def programme_person(programme: Programme, role: str, side: str = "") -> User:
    user = member(programme.organisation)
    programme_member_add(programme=programme, user=user, role=role, side=side)
    return user
