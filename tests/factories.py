from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from organisations.models import Membership, Organisation, User
from organisations.roles import OrgRole, Role, Side
from pairs.models import Decision, Meeting, Pair, Profile, Pulse
from pairs.services import (
    decision_record,
    matching_publish,
    matching_run,
    meeting_log,
    participant_add,
    pulse_record,
)
from programmes.models import Programme, TrainingSession
from programmes.services import programme_create, programme_member_add, training_session_save
from supervision.models import Referral, Supervisor
from supervision.services import referral_accept, referral_assign, referral_raise, referral_route
from surveys.models import Question, Response, Survey
from surveys.services import response_save, survey_save

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


def training_session(programme: Programme, **values: object) -> TrainingSession:
    """A training session saved as the coordinator's form would: initial training for everyone,
    in person, two hours from now, unless `values` say otherwise."""
    defaults = {
        "title": "Initial training",
        "kind": "initial",
        "format": "in_person",
        "audience": "everyone",
        "starts_at": timezone.now(),
        "duration_minutes": 120,
    }
    return training_session_save(programme=programme, values={**defaults, **values})


# --- Pairs ---------------------------------------------------------------------------------------

COHORT_CSV_HEADER = "name,email,side,department,grade,line_manager_email\n"


def selected_cohort(programme, seniors: int, juniors: int, **fields) -> list[Profile]:
    profiles = []
    for n in range(seniors + juniors):
        side = Side.SENIOR if n < seniors else Side.JUNIOR
        user = member(programme.organisation, full_name=f"{side.title()} {n}")
        profile = participant_add(programme=programme, user=user, side=side)
        profile.department = f"Dept {n % 3}"
        profile.grade = 9 if side == Side.SENIOR else 3
        profile.hoped_learning = f"One-pager of {user.full_name}"
        profile.save()
        decision_record(profile=profile, decision=Decision.SELECTED, subject="Yes", body="Yes")
        profiles.append(profile)
    return profiles


def publish_pair(programme, senior_user, junior_user, coordinator) -> Pair:
    for user, side, grade in ((senior_user, Side.SENIOR, 9), (junior_user, Side.JUNIOR, 3)):
        profile = participant_add(programme=programme, user=user, side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    return Pair.objects.select_related("senior", "junior").get(
        programme=programme, senior__user=senior_user
    )


def log_meeting(pair, user, *, notes="", reflection="", day=None) -> Meeting:
    return meeting_log(
        pair=pair,
        by=user,
        values={
            "date": day or timezone.localdate(),
            "duration_minutes": 60,
            "mode": "virtual",
            "shared_notes": notes,
        },
        reflection=reflection,
    )


def pulse_answer(meeting, user, value: int, comment: str = "") -> Pulse:
    return pulse_record(
        meeting=meeting,
        author=user,
        answers={
            "spoke_openly": value,
            "learned": value,
            "partner_learned": value,
            "going": value,
            "comment": comment,
        },
    )


# --- Surveys -------------------------------------------------------------------------------------


def open_survey(programme, audience: str = "everyone", **fields) -> Survey:
    today = timezone.localdate()
    survey = survey_save(
        programme=programme,
        values={
            "title": fields.get("title", "Pulse of the cohort"),
            "audience": audience,
            "opens_on": today - timedelta(days=1),
            "closes_on": today + timedelta(days=7),
        },
    )
    Question.objects.create(
        survey=survey, kind="agree", text="I belong here", key="belong", position=0
    )
    Question.objects.create(
        survey=survey, kind="text", text="Anything else?", required=False, position=1
    )
    return survey


def open_mid_point_survey(programme) -> Survey:
    today = timezone.localdate()
    survey = survey_save(
        programme=programme,
        values={
            "title": "Mid-point",
            "audience": "everyone",
            "opens_on": today - timedelta(days=3),
            "closes_on": today + timedelta(days=7),
        },
    )
    Question.objects.create(survey=survey, kind="agree", text="I belong here", position=0)
    Question.objects.create(
        survey=survey, kind="text", text="What would you change?", position=1, required=False
    )
    return survey


def participants(programme, seniors: int, juniors: int):
    return [programme_person(programme, Role.PARTICIPANT, Side.SENIOR) for _ in range(seniors)] + [
        programme_person(programme, Role.PARTICIPANT, Side.JUNIOR) for _ in range(juniors)
    ]


def alternating_participants(programme, size: int) -> list:
    sides = (Side.SENIOR, Side.JUNIOR)
    return [programme_person(programme, Role.PARTICIPANT, sides[n % 2]) for n in range(size)]


def answer(survey, user, value: int = 4, text: str = "", quote: bool = False) -> Response:
    """Send one response to a survey of an agree question and a written one; `quote`: the
    respondent allows their written answer to be quoted."""
    questions = {q.kind: q for q in survey.questions.all()}
    return response_save(
        survey=survey,
        respondent=user,
        answers={questions["agree"].pk: value, questions["text"].pk: text},
        quotable={questions["text"].pk} if quote else set(),
        submit=True,
    )


def close_survey(survey) -> None:
    """The survey's closing day passes (as time does, not as the coordinator's edit): results
    show only once a survey has closed."""
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()


def referral(
    pair: Pair,
    by: User,
    *,
    text: str,
    about: User | None = None,
    urgency: str = "routine",
    raised_as: str = Role.PARTICIPANT,
) -> Referral:
    """A referral about one partner (`about`), or about the pair when nobody is named."""
    return referral_raise(
        pair=pair,
        by=by,
        raised_as=raised_as,
        concerning="person" if about else "pair",
        person=about,
        text=text,
        urgency=urgency,
    )


def in_supervision(
    referral: Referral, *, coordinator: User, supervisor: Supervisor, accept: bool = True
) -> Referral:
    """Routed to individual supervision (raised by the person it concerns, so nobody is asked
    to agree) and assigned; accepted too, unless not."""
    referral_route(referral=referral, by=coordinator, route="individual")
    referral = referral_assign(referral=referral, supervisor=supervisor, by=coordinator)
    return referral_accept(referral=referral, by=supervisor.user) if accept else referral
