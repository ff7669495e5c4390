"""Each role's home: the first page after signing in, with what needs that person today."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.models import Pair
from pairs.services import (
    agreement_confirm,
    agreement_propose,
    concern_raise,
    pair_status_set,
    pair_steward_set,
)
from programmes.models import Stage, StageStatus
from programmes.selectors import plan_tasks
from programmes.services import task_save
from reports.models import ProgrammeReport
from supervision.models import Supervisor

from . import factories
from .pairs.test_selectors import many_pairs
from .urls import programme_url

CONCERN = "My partner keeps cancelling at the last minute"
REFERRAL = "I dread our meetings and need help"
AGREEMENT = {
    "meeting_frequency": "an hour every three weeks",
    "meeting_place": "The café on the ground floor",
    "confidentiality": "What we say stays with us",
    "ground_rules": "Phones away",
}


@pytest.fixture
def pair(programme, people) -> Pair:
    pair = factories.publish_pair(
        programme, people["senior"], people["junior"], people["coordinator"]
    )
    return pair_steward_set(pair=pair, steering_member=people["steering"])


def home_of(client, user, programme) -> str:
    client.force_login(user)
    response = client.get(programme_url("programmes:home", programme))
    assert response.status_code == 200
    return response.content.decode()


def sign_in(client, user) -> str:
    """Sign in through the form, as a person does; the address they land on."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response.request["PATH_INFO"]


@pytest.mark.django_db
def test_signing_in_lands_a_participant_on_their_programme_home(client, programme, people, pair):
    assert sign_in(client, people["senior"]) == programme_url("programmes:home", programme)


@pytest.mark.django_db
def test_with_two_programmes_under_way_signing_in_lands_on_the_list_of_programmes(
    client, org, programme, people
):
    second = factories.programme(org, coordinator=people["coordinator"], name="Second cohort")
    assert sign_in(client, people["coordinator"]) == reverse("organisation", args=[org.slug])
    # Once the first has finished every stage, the one still under way is home.
    Stage.objects.filter(programme=programme).update(status=StageStatus.DONE)
    client.logout()
    assert sign_in(client, people["coordinator"]) == programme_url("programmes:home", second)


@pytest.mark.django_db
def test_a_participants_home_puts_the_partnership_and_its_next_step_first(
    client, programme, people, pair
):
    senior, junior = people["senior"], people["junior"]
    page = home_of(client, senior, programme)
    assert f"You and {pair.junior.full_name}" in page
    assert page.index('data-testid="home-partnership"') < page.index('data-testid="standing"')
    assert "Propose our agreement" in page
    assert 'action="{}"'.format(programme_url("pairs:log_meeting", programme)) in page

    agreement = agreement_propose(pair=pair, by=junior, values=AGREEMENT)
    assert "waits for you to confirm it" in home_of(client, senior, programme)
    agreement_confirm(agreement=agreement, by=senior, version=agreement.version)
    assert "Log your first meeting" in home_of(client, senior, programme)

    meeting = factories.log_meeting(pair, junior, day=timezone.localdate() - timedelta(days=2))
    assert "Answer the pulse" in home_of(client, senior, programme)
    factories.pulse_answer(meeting, senior, 4)
    page = home_of(client, senior, programme)
    assert "You answered the private pulse" in page
    assert "Set a learning goal of your own" in page


@pytest.mark.django_db
def test_a_participant_sees_the_surveys_they_have_yet_to_answer(client, programme, people, pair):
    survey = factories.open_survey(programme, title="Mid-point check")
    assert "Mid-point check" in home_of(client, people["senior"], programme)
    factories.answer(survey, people["senior"])
    assert "Mid-point check" not in home_of(client, people["senior"], programme)


@pytest.mark.django_db
def test_the_coordinators_home_shows_pairs_needing_attention_referrals_and_overdue_tasks(
    client, programme, people, pair
):
    concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    factories.referral(pair, people["junior"], text=REFERRAL, urgency="urgent")
    stage = Stage.objects.get(programme=programme, number=2)
    # The longest overdue come first.
    task_save(
        stage=stage,
        title="Book the launch room",
        due_date=date(2026, 1, 5),
        responsible_user=people["coordinator"],
    )
    overdue = plan_tasks(programme, overdue_on=timezone.localdate()).count()
    page = home_of(client, people["coordinator"], programme)
    assert f"{overdue} overdue tasks" in page
    assert "1 pair needs attention" in page
    assert "1 open concern" in page
    assert "1 referral waiting for you" in page
    assert "1 urgent" in page
    assert "Book the launch room" in page
    assert f"Stage 2 · due 5 Jan 2026 · {people['coordinator'].full_name}" in page
    # What they wrote stays on the pages made for it.
    assert CONCERN not in page and REFERRAL not in page


@pytest.mark.django_db
def test_a_steering_members_home_lists_their_pairs_with_overdue_check_ins(
    client, programme, people, pair
):
    page = home_of(client, people["steering"], programme)
    assert pair.senior.full_name in page and "Every check-in is up to date" in page
    Pair.objects.filter(pk=pair.pk).update(
        published_at=timezone.now() - timedelta(weeks=programme.checkin_weeks + 1)
    )
    page = home_of(client, people["steering"], programme)
    assert "1 check-in overdue" in page and "check-in overdue</span>" in page


@pytest.mark.django_db
def test_a_steering_members_home_shows_the_first_five_pairs_overdue_first_and_how_many_in_all(
    client, programme, people, pair
):
    """A member can look after thirty pairs at 300; the home shows a few and links to all."""
    for _ in range(6):
        more = factories.publish_pair(
            programme,
            factories.programme_person(programme, "participant", "senior"),
            factories.programme_person(programme, "participant", "junior"),
            people["coordinator"],
        )
        pair_steward_set(pair=more, steering_member=people["steering"])
    late = Pair.objects.filter(steering_member=people["steering"]).order_by("-pk").first()
    Pair.objects.filter(pk=late.pk).update(
        published_at=timezone.now() - timedelta(weeks=programme.checkin_weeks + 1)
    )
    page = home_of(client, people["steering"], programme)
    assert page.count('data-testid="steering-pair"') == 5
    assert "All 7 pairs you look after" in page
    first_row = page.split('data-testid="steering-pair"', 1)[1].split("</li>", 1)[0]
    assert late.senior.full_name in first_row and "check-in overdue" in first_row
    assert "1 check-in overdue" in page  # counted over all seven, not the five shown


@pytest.mark.django_db
def test_a_supervisors_home_is_their_caseload_and_only_theirs(client, programme, people, pair):
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    mine = factories.referral(pair, people["junior"], text=REFERRAL, about=people["junior"])
    factories.in_supervision(mine, coordinator=people["coordinator"], supervisor=supervisor)
    page = home_of(client, people["supervisor"], programme)
    assert "Your caseload: 1 open case" in page
    assert people["junior"].full_name in page and "In supervision" in page
    assert REFERRAL not in page

    other = factories.programme_person(programme, "supervisor")
    assert "Your caseload: 0 open cases" in home_of(client, other, programme)


@pytest.mark.django_db
def test_the_executives_home_shows_progress_in_figures_and_reports_never_names(
    client, programme, people, pair
):
    factories.log_meeting(pair, people["junior"])
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=people["executive"],
        expires_at=timezone.now() + timedelta(days=30),
    )
    page = home_of(client, people["executive"], programme)
    assert "The relationships in figures" in page and "Reports" in page
    listed = page[page.index('data-testid="home-report"') :].split("</li>", 1)[0]
    assert report.get_kind_display() in listed
    assert f"· {timezone.localdate():%-d %b %Y} · {report.get_status_display().lower()}" in listed
    assert "Stage 1 of 10" in page
    assert pair.senior.full_name not in page and pair.junior.full_name not in page
    assert 'data-testid="home-attention"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "executive", "steering"])
def test_a_home_takes_the_same_queries_for_2_pairs_and_20(client, org, who):
    counts = []
    for size in (2, 20):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        many_pairs(programme, size)
        user = coordinator
        if who != "coordinator":
            user = factories.programme_person(programme, who)
        if who == "steering":
            Pair.objects.filter(programme=programme).update(steering_member=user)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(programme_url("programmes:home", programme))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_everyone_sees_where_the_programme_stands_and_a_stage_past_its_planned_end(
    client, programme, people
):
    stages = list(Stage.objects.filter(programme=programme).order_by("number"))
    Stage.objects.filter(pk__in=[s.pk for s in stages[:2]]).update(status=StageStatus.DONE)
    current = stages[2]
    today = timezone.localdate()
    for planned_end, late in ((today, False), (today - timedelta(days=1), True)):
        Stage.objects.filter(pk=current.pk).update(planned_end=planned_end)
        page = home_of(client, people["senior"], programme)
        assert f"Stage 3 of {len(stages)}: {current.name}" in page
        assert f"2 of {len(stages)} stages done." in page
        assert ("past its planned end" in page) is late


@pytest.mark.django_db
def test_a_coordinators_home_before_any_pair_is_active_says_so(client, programme, people):
    """Before the pairs are published, or once every relationship has ended, the home does not
    claim that every active pair is meeting, nor count issues in a register that holds none."""
    page = home_of(client, people["coordinator"], programme)
    attention = page[page.index('data-testid="home-attention"') :].split("</section>", 1)[0]
    assert "No pair is active." in attention and "Every active pair" not in attention
    themes = page[page.index('data-testid="home-themes"') :].split("</section>", 1)[0]
    assert "No systemic issue recorded yet" in themes and "0 systemic issues open" not in themes
    assert "No proposed grouping to review" in themes and "0 proposed" not in themes


@pytest.mark.django_db
def test_a_coordinators_home_with_an_active_pair_that_needs_nothing_says_so(
    client, programme, people, pair
):
    terms = {"meeting_place": "Online", "confidentiality": "Ours", "ground_rules": "Equals"}
    agreement = agreement_propose(
        pair=pair, by=people["senior"], values={"meeting_frequency": "Fortnightly", **terms}
    )
    agreement_confirm(agreement=agreement, by=people["junior"], version=agreement.version)
    factories.log_meeting(pair, people["senior"])
    page = home_of(client, people["coordinator"], programme)
    assert "No pair needs attention" in page
    assert "Every active pair is meeting, has agreed how it works, and raised no flag." in page


@pytest.mark.django_db
def test_once_the_relationships_end_the_homes_count_them_and_claim_no_pair_in_care_to_come(
    client, programme, people, pair
):
    pair_status_set(pair=pair, status="completed", by=people["coordinator"])
    figures = home_of(client, people["executive"], programme)
    figures = figures[figures.index('data-testid="home-figures"') :].split("</section>", 1)[0]
    shown = dict(re.findall(r"<dt [^>]*>([^<]*)</dt><dd [^>]*>(\d+)</dd>", figures))
    assert shown["Active pairs"] == "0" and shown["Pairs completed"] == "1"
    assert shown["Pairs ended early"] == "0"
    steering = home_of(client, people["steering"], programme)
    assert "No active pair is in your care." in steering and "in your care yet" not in steering
