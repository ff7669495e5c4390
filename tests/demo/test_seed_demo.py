"""The demo tells one consistent story: two programmes whose every date agrees with today.

The second cohort stands at stage 8 (pairs meeting, initial survey closed, the first combined
session ahead); the pilot is finished (evaluation closed, report ready). Running seed_demo again
changes nothing.
"""

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo.management.commands.seed_demo import (
    DEMO_PASSWORD,
    FINISHED_PROGRAMME_NAME,
    ORG_SLUG,
    PROGRAMME_NAME,
)
from organisations.models import InvitationState
from organisations.roles import Role, Side
from pairs.models import Pair, PairStatus
from programmes.models import (
    Programme,
    ProgrammeInvitation,
    ProgrammeMember,
    Stage,
    StageStatus,
    StageTask,
)
from reports.models import ProgrammeReport, ReportKind, ReportStatus
from supervision.models import (
    AgendaIssue,
    Referral,
    ReferralStatus,
    Route,
    SupervisionSession,
    Urgency,
)
from surveys.models import HardMeasure, Survey, SurveyKind
from themes.models import (
    ActionStatus,
    AgendaItem,
    IssueAction,
    RecurringStatus,
    RecurringTheme,
    SystemicIssue,
    Theme,
    ThemeAnalysis,
)

SUPERVISOR = "supervisor@example.org"

# Dates that plan what is still to come; every other date records what has happened.
PLANNED = {
    ("programmes.Stage", "planned_start"),
    ("programmes.Stage", "planned_end"),
    ("programmes.StageTask", "due_date"),
    ("programmes.GroupSession", "date"),
    ("programmes.TrainingSession", "starts_at"),
    ("surveys.Survey", "opens_on"),
    ("surveys.Survey", "closes_on"),
    ("reports.ProgrammeReport", "expires_at"),
    ("supervision.SupervisionSession", "starts_at"),
    ("themes.IssueAction", "due"),
    ("organisations.Invitation", "expires_at"),
}


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    """The demo as seed_demo commits it; what it leaves for a worker (rendering the report) is
    left undone, except where a test says otherwise."""
    seed()
    return {
        "current": Programme.objects.get(name=PROGRAMME_NAME),
        "finished": Programme.objects.get(name=FINISHED_PROGRAMME_NAME),
    }


def today():
    return timezone.localdate()


def every_row() -> dict[str, str]:
    return {
        model._meta.label: serializers.serialize("json", model._base_manager.order_by("pk"))
        for model in apps.get_models()
    }


def test_running_it_again_changes_nothing(demo):
    before = every_row()
    seed()
    assert every_row() == before


def test_every_stage_agrees_with_today(demo):
    for name, programme in demo.items():
        for stage in Stage.objects.filter(programme=programme):
            where = f"{name} stage {stage.number}"
            if stage.status == StageStatus.DONE:
                assert stage.planned_end < today(), where
                finished = timezone.localdate(stage.done_at)
                assert stage.planned_start <= finished <= stage.planned_end, where
            elif stage.status == StageStatus.IN_PROGRESS:
                assert stage.planned_start <= today() <= stage.planned_end, where
            else:
                assert stage.planned_start > today(), where
            for task in StageTask.objects.filter(stage=stage, completed_at__isnull=False):
                done = timezone.localdate(task.completed_at)
                assert stage.planned_start <= done <= stage.planned_end, f"{where}: {task}"
    statuses = lambda programme: list(  # noqa: E731
        Stage.objects.filter(programme=programme).values_list("status", flat=True)
    )
    assert statuses(demo["current"]) == ["done"] * 7 + ["in_progress", "not_started", "not_started"]
    assert statuses(demo["finished"]) == ["done"] * 10
    assert not StageTask.objects.filter(programme=demo["finished"]).exclude(status="done").exists()
    stage_8 = dict(
        StageTask.objects.filter(programme=demo["current"], stage__number=8).values_list(
            "title", "status"
        )
    )
    assert stage_8["Send the analysis of themes to every pair well in advance"] == "done"
    assert stage_8["Facilitate the first combined group session"] == "todo"


def test_nothing_has_happened_after_today(demo):
    """No meeting, check-in, pulse, response, pair event or any other record is dated after
    today; only what plans the future is, and only in the programme still running."""
    now = timezone.now()
    checked = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            if (model._meta.label, field.name) in PLANNED:
                continue
            bound = now if isinstance(field, models.DateTimeField) else today()
            later = model._base_manager.filter(**{f"{field.name}__gt": bound})
            assert not later.exists(), f"{model._meta.label}.{field.name}: {later.first()}"
            checked += model._base_manager.exclude(**{f"{field.name}__isnull": True}).count()
    assert checked > 500  # the check saw the demo's records
    finished = demo["finished"]
    assert not Stage.objects.filter(programme=finished, planned_end__gt=today()).exists()
    assert not Survey.objects.filter(programme=finished, closes_on__gte=today()).exists()
    assert not finished.group_sessions_planned.filter(date__gt=today()).exists()
    assert not finished.training_sessions.filter(starts_at__gt=now).exists()
    assert not SupervisionSession.objects.filter(
        referral__programme=finished, starts_at__gt=now
    ).exists()


def test_the_current_programme_is_ten_weeks_in_with_the_first_combined_session_ahead(demo):
    programme = demo["current"]
    started = (today() - programme.relationships_start).days
    assert 8 * 7 <= started <= 11 * 7
    first = programme.group_sessions_planned.get(sequence=1)
    assert today() < first.date <= today() + timedelta(weeks=2)
    surveys = {survey.kind: survey for survey in Survey.objects.filter(programme=programme)}
    assert surveys[SurveyKind.BASELINE].closes_on < programme.relationships_start
    initial = surveys[SurveyKind.INITIAL]
    assert initial.has_closed() and initial.closes_on >= today() - timedelta(days=7)
    assert initial.opens_on >= programme.relationships_start + timedelta(weeks=8)
    assert surveys[SurveyKind.EVALUATION].opens_on > today()
    pairs = Pair.objects.filter(programme=programme)
    assert pairs.count() == 6 and not pairs.exclude(status=PairStatus.ACTIVE).exists()
    for pair in pairs:
        assert timezone.localdate(pair.published_at) == programme.relationships_start
        history = list(pair.history.values_list("status", "at"))
        assert [(status, timezone.localdate(at)) for status, at in history] == [
            (PairStatus.ACTIVE, programme.relationships_start)
        ]
        assert timezone.localdate(pair.created_at) < programme.relationships_start
        assert pair.agreements.exists()
        first_meeting = pair.meetings.order_by("date").first()
        assert programme.relationships_start <= first_meeting.date


def test_the_coordinator_sees_the_initial_surveys_figures_and_the_pairs_in_every_state(
    client, demo
):
    programme = demo["current"]
    client.login(email="coordinator@example.org", password=DEMO_PASSWORD)
    initial = Survey.objects.get(programme=programme, kind=SurveyKind.INITIAL)
    page = client.get(
        reverse("surveys:results", args=[ORG_SLUG, programme.pk, initial.pk])
    ).content.decode()
    assert "11 of " in page  # everyone in a pair answered but one
    assert "Everyone: mean" in page and "Senior side: mean" in page and "Junior side: mean" in page
    assert "Quoted with their authors" in page
    assert "Calibration after promotion panels moves scores, and nobody records why." in page
    assert "Our adverts show a more diverse Northwind" not in page  # not allowed to be quoted

    timeline = client.get(reverse("programmes:timeline", args=[ORG_SLUG, programme.pk]))
    assert "Now at stage 8" in timeline.content.decode()
    dashboard = client.get(reverse("pairs:pairs", args=[ORG_SLUG, programme.pk])).content.decode()
    for attention in ("very differently", "No meeting since", "1 open concern"):
        assert attention in dashboard, attention
    training = timeline.content.decode()
    assert "Initial training completed by 12 of 14 participants" in training  # 2 not selected


@pytest.fixture
def rendered(db, django_capture_on_commit_callbacks):
    """The demo, and what a worker does once it has committed: render the evaluation report."""
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    return Programme.objects.get(name=FINISHED_PROGRAMME_NAME)


def test_the_finished_programmes_evaluation_report_is_ready_for_the_executive(client, rendered):
    programme = rendered
    pairs = Pair.objects.filter(programme=programme)
    assert sorted(pairs.values_list("status", flat=True)) == ["completed"] * 5 + ["ended_early"]
    report = ProgrammeReport.objects.get(programme=programme, kind=ReportKind.EVALUATION)
    assert report.status == ReportStatus.READY

    client.login(email="executive@example.org", password=DEMO_PASSWORD)
    timeline = client.get(reverse("programmes:timeline", args=[ORG_SLUG, programme.pk]))
    assert "All ten stages are done." in timeline.content.decode()
    listing = client.get(reverse("reports:list", args=[ORG_SLUG, programme.pk])).content.decode()
    download = reverse("reports:download", args=[ORG_SLUG, programme.pk, report.pk])
    assert download in listing
    response = client.get(download)
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert FINISHED_PROGRAMME_NAME in text and "Evaluation report" in text
    began = programme.relationships_start
    assert f"relationships began {began:%-d %B %Y}".lower() in text.lower()  # on the cover
    assert began < today() - timedelta(days=200)
    assert "To ask how a policy lands before asking whether it is compliant." in text  # quoted
    assert "That listening is harder than advising" not in text  # its author did not allow it


def test_the_demo_logins_keep_their_roles_in_both_programmes(demo):
    def roles(email: str, programme: Programme) -> set[tuple[str, str]]:
        return set(
            ProgrammeMember.objects.filter(programme=programme, user__email=email).values_list(
                "role", "side"
            )
        )

    for programme in demo.values():
        assert roles("coordinator@example.org", programme) == {(Role.COORDINATOR, "")}
        assert roles("executive@example.org", programme) == {(Role.EXECUTIVE, "")}
        assert roles("supervisor@example.org", programme) == {(Role.SUPERVISOR, "")}
        assert roles("steering@example.org", programme) == {(Role.STEERING, "")}
    current = demo["current"]
    assert roles("senior@example.org", current) == {(Role.PARTICIPANT, Side.SENIOR)}
    assert roles("junior@example.org", current) == {(Role.PARTICIPANT, Side.JUNIOR)}
    assert Pair.objects.filter(
        programme=current, senior__email="senior@example.org", junior__email="junior@example.org"
    ).exists()


def test_the_current_programme_has_invitations_waiting_and_one_expired(client, demo):
    states = sorted(
        (promise.invitation.state, promise.role)
        for promise in ProgrammeInvitation.objects.filter(programme=demo["current"])
    )
    assert states == [
        (InvitationState.EXPIRED, Role.STEERING),
        (InvitationState.INVITED, Role.STEERING),
        (InvitationState.INVITED, Role.SUPERVISOR),
    ]
    assert not ProgrammeInvitation.objects.filter(programme=demo["finished"]).exists()
    client.login(email="coordinator@example.org", password=DEMO_PASSWORD)
    steering = client.get(reverse("programmes:steering", args=[ORG_SLUG, demo["current"].pk]))
    assert "6 joined, 1 invited" in steering.content.decode()


def test_the_supervisor_has_a_caseload_and_the_coordinator_a_referral_to_triage(demo):
    """One urgent case waiting for her, pair supervision under way with a session ahead, one
    case closed; the coordinator has a new referral, and one waits for the raiser's agreement to
    go, anonymised, to the combined session the supervisor facilitates."""
    programme = demo["current"]
    cases = Referral.objects.filter(programme=programme, supervisor__user__email=SUPERVISOR)
    assert set(cases.values_list("urgency", "route", "status")) == {
        (Urgency.URGENT, Route.INDIVIDUAL, ReferralStatus.AWAITING_SUPERVISOR),
        (Urgency.ROUTINE, Route.PAIR, ReferralStatus.IN_SUPERVISION),
        (Urgency.ROUTINE, Route.INDIVIDUAL, ReferralStatus.CLOSED),
    }
    urgent = cases.get(urgency=Urgency.URGENT)
    assert urgent.concern is not None and urgent.concern.raised_by == urgent.person
    in_progress = cases.get(route=Route.PAIR)
    assert in_progress.sessions.filter(starts_at__gt=timezone.now()).count() == 1
    assert in_progress.sessions.filter(starts_at__lt=timezone.now()).count() == 1
    assert Referral.objects.filter(programme=programme, status=ReferralStatus.NEW).count() == 1
    waiting = Referral.objects.get(programme=programme, status=ReferralStatus.AWAITING_CONSENT)
    assert waiting.consents.get().user.email == "junior@example.org"
    assert not AgendaIssue.objects.filter(referral=waiting).exists()  # only once he agrees
    facilitated = programme.group_sessions_planned.get(sequence=1).supervision
    assert facilitated.facilitator.user.email == SUPERVISOR


def test_the_pairs_themes_reach_recurring_themes_an_agenda_and_the_register(demo):
    """Shared themes from several pairs and drafts kept by their pairs; three accepted recurring
    themes on the first session's agenda, two with a confirmed lead; two fresh proposals waiting
    for the coordinator; the analysis sent once and its themes locked; and a register with done,
    under-way and overdue actions."""
    programme = demo["current"]
    themes = Theme.objects.filter(pair__programme=programme)
    shared = themes.filter(shared_at__isnull=False)
    assert shared.values("pair").distinct().count() >= 5
    assert themes.filter(shared_at__isnull=True).count() == 2  # drafts, one agreed by one partner
    assert shared.filter(named=True).values("pair").distinct().count() == 1
    accepted = RecurringTheme.objects.filter(programme=programme, status=RecurringStatus.ACCEPTED)
    assert accepted.count() == 3
    assert all(found.themes.values("pair").distinct().count() == 2 for found in accepted)
    proposed = RecurringTheme.objects.filter(programme=programme, status=RecurringStatus.PROPOSED)
    assert sorted(proposed.values_list("title", flat=True)) == [
        "After-work socialising happens at the pub",
        "Our adverts show a more diverse Northwind than our leadership",
    ]
    first = programme.group_sessions_planned.get(sequence=1)
    items = AgendaItem.objects.filter(session=first)
    assert set(items.values_list("recurring", flat=True)) == set(
        accepted.values_list("pk", flat=True)
    )
    assert items.filter(lead__isnull=False).count() == 2
    assert ThemeAnalysis.objects.filter(session=first).count() == 1
    assert not shared.filter(recurring__in=accepted, locked_at__isnull=True).exists()
    actions = IssueAction.objects.filter(issue__programme=programme)
    assert SystemicIssue.objects.filter(programme=programme, status="open").count() == 3
    assert actions.filter(status=ActionStatus.DONE).count() == 2
    assert actions.filter(status=ActionStatus.DOING).exists()
    assert actions.filter(status=ActionStatus.TODO, due__lt=timezone.localdate()).exists()


def test_the_pilot_has_hard_measures_before_and_after_and_the_second_cohort_its_baselines(
    client, demo
):
    pilot, current = demo["finished"], demo["current"]
    finished = HardMeasure.objects.filter(programme=pilot)
    assert finished.count() == 4 and not finished.filter(after_value__isnull=True).exists()
    for recorded in finished:
        assert pilot.relationships_start - timedelta(days=60) < recorded.before_on
        assert recorded.before_on < recorded.after_on < today()
    assert finished.filter(success_measure__text="Retention of diverse talent").count() == 2
    baselines = HardMeasure.objects.filter(programme=current)
    assert baselines.count() == 3 and not baselines.filter(after_value__isnull=False).exists()
    client.login(email="executive@example.org", password=DEMO_PASSWORD)
    page = client.get(reverse("surveys:measures", args=[ORG_SLUG, pilot.pk])).content.decode()
    assert "+3.5 percentage points" in page and "+3 people" in page
    surveys = client.get(reverse("surveys:list", args=[ORG_SLUG, pilot.pk])).content.decode()
    assert reverse("surveys:measures", args=[ORG_SLUG, pilot.pk]) in surveys
