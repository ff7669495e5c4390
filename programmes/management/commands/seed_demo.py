"""Demo data: one organisation, one person per role, a programme a few stages in. Idempotent."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from organisations.models import Membership, Organisation, User
from organisations.roles import OrgRole, Role, Side
from organisations.services import organisation_create
from programmes.models import Programme, Stage, StageStatus
from programmes.services import programme_create, programme_member_add

DEMO_PASSWORD = "demo-pass-2026"
ORG_SLUG = "northwind"
PROGRAMME_NAME = "Reciprocal Mentoring Pilot"

# (e-mail, full name, organisation role, programme role, side)
DEMO_PEOPLE: list[tuple[str, str, str, str, str]] = [
    ("admin@example.org", "Ada Admin", OrgRole.ADMIN, "", ""),
    ("coordinator@example.org", "Chidi Coordinator", OrgRole.MEMBER, Role.COORDINATOR, ""),
    ("steering@example.org", "Sam Steering", OrgRole.MEMBER, Role.STEERING, ""),
    ("senior@example.org", "Selma Senior", OrgRole.MEMBER, Role.PARTICIPANT, Side.SENIOR),
    ("junior@example.org", "Jun Junior", OrgRole.MEMBER, Role.PARTICIPANT, Side.JUNIOR),
    ("supervisor@example.org", "Suri Supervisor", OrgRole.MEMBER, Role.SUPERVISOR, ""),
    ("executive@example.org", "Eve Executive", OrgRole.MEMBER, Role.EXECUTIVE, ""),
]


def demo_start_date(today: date) -> date:
    """Commissioning began long enough ago that the programme is in its initial training stage."""
    return today - relativedelta(months=2) - timedelta(weeks=8)


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation, its people and a programme under way."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        users = {email: self._user(email, name) for email, name, *_ in DEMO_PEOPLE}
        organisation = Organisation.objects.filter(slug=ORG_SLUG).first() or organisation_create(
            name="Northwind Group",
            slug=ORG_SLUG,
            time_zone="Europe/London",
            creator=users["admin@example.org"],
        )
        with scope(organisation=organisation):
            for email, _, org_role, _, _ in DEMO_PEOPLE:
                Membership.objects.get_or_create(
                    user=users[email], organisation=organisation, defaults={"role": org_role}
                )
            programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
            if programme is None:
                programme = self._programme(organisation, users["coordinator@example.org"])
            for email, _, _, role, side in DEMO_PEOPLE:
                if role:
                    programme_member_add(
                        programme=programme, user=users[email], role=role, side=side
                    )
        self._print_logins(organisation)

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _programme(self, organisation: Organisation, coordinator: User) -> Programme:
        today = timezone.localdate(timezone.now(), organisation.zone)
        programme = programme_create(
            organisation=organisation,
            name=PROGRAMME_NAME,
            start_date=demo_start_date(today),
            created_by=coordinator,
            reminder_lead_days=14,
        )
        Stage.objects.filter(programme=programme, number__lte=3).update(status=StageStatus.DONE)
        Stage.objects.filter(programme=programme, number=4).update(status=StageStatus.IN_PROGRESS)
        return programme

    def _print_logins(self, organisation: Organisation) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation: {organisation.name} (/o/{organisation.slug}/)")
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, name, org_role, role, side in DEMO_PEOPLE:
            what = Role(role).label if role else OrgRole(org_role).label
            if side:
                what = f"{what}, {Side(side).label.lower()}"
            self.stdout.write(f"  {email:<26} {name:<20} {what}")
