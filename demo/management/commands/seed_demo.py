"""`manage.py seed_demo`: the demo organisation, its people and two programmes, one in stage 8
and one finished, loaded from demo/data through the apps' services. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from organisations.models import Organisation, User
from programmes.models import Programme, ProgrammeMember
from programmes.services import calendar_feed_get

from ... import story
from ...measures import hard_measures_load
from ...people import organisation_load, people_load
from ...relationships import endings_load, relationships_load
from ...reports import report_load
from ...selection import selection_load
from ...setup import invitations_load, programme_set_up, training_load
from ...supervision import supervision_load
from ...surveys import surveys_load
from ...themes import themes_load

PEOPLE = story.read("people")
SECOND_COHORT, PILOT = story.read("second_cohort"), story.read("pilot")

DEMO_PASSWORD: str = PEOPLE["password"]
ORG_SLUG: str = PEOPLE["organisation"]["slug"]
PROGRAMME_NAME: str = SECOND_COHORT["name"]  # in stage 8: pairs meeting, group sessions ahead
FINISHED_PROGRAMME_NAME: str = PILOT["name"]  # evaluated, its report ready


class Command(BaseCommand):
    help = "Create the demo organisation, its people and two programmes (once; then nothing)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        people = PEOPLE["person"]
        users = people_load(people=people, password=DEMO_PASSWORD)
        organisation = organisation_load(data=PEOPLE["organisation"], people=people, users=users)
        with scope(organisation=organisation):
            for plan in (PILOT, SECOND_COHORT):
                programme = Programme.objects.filter(name=plan["name"]).first()
                if programme is None:
                    programme = self._programme(plan, organisation, users)
                report_load(programme=programme, plan=plan, users=users)
                for member in ProgrammeMember.objects.filter(programme=programme):
                    calendar_feed_get(programme=programme, user=member.user)
        self._print_logins(organisation)

    def _programme(
        self, plan: story.Data, organisation: Organisation, users: dict[str, User]
    ) -> Programme:
        """The programme's whole history, from commissioning to today."""
        days = story.Days.counting_back(
            today=timezone.localdate(timezone.now(), organisation.zone),
            started_days_ago=plan["started_days_ago"],
            zone=organisation.zone,
        )
        people = {person["email"]: person for person in PEOPLE["person"]}
        programme = programme_set_up(plan=plan, days=days, organisation=organisation, users=users)
        selection_load(programme=programme, plan=plan, people=people, days=days, users=users)
        training_load(programme=programme, plan=plan, days=days, users=users)
        relationships_load(programme=programme, plan=plan, days=days, users=users)
        supervision_load(programme=programme, plan=plan, days=days, users=users)
        themes_load(programme=programme, plan=plan, days=days, users=users)
        endings_load(programme=programme, plan=plan, days=days, users=users)
        patterns = story.read("surveys")
        surveys_load(programme=programme, plan=plan, patterns=patterns, days=days, users=users)
        hard_measures_load(programme=programme, plan=plan, days=days)
        invitations_load(programme=programme, plan=plan, days=days, users=users)
        return programme

    def _print_logins(self, organisation: Organisation) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation: {organisation.name} (/o/{organisation.slug}/)")
        )
        self.stdout.write(
            f"Programmes: {PROGRAMME_NAME} (under way) and {FINISHED_PROGRAMME_NAME} (finished)"
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        logins = [person for person in PEOPLE["person"] if "login" in person]
        for person in logins:
            self.stdout.write(f"  {person['email']:<26} {person['name']:<20} {person['login']}")
        others = len(PEOPLE["person"]) - len(logins)
        self.stdout.write(
            f"  and {others} more steering members and participants, e.g. "
            f"{next(p['email'] for p in PEOPLE['person'] if 'login' not in p)}"
        )
