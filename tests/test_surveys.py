"""Surveys: building, answering, anonymity of the results."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisations.roles import Role, Side
from surveys.forms import SurveyForm
from surveys.models import CLOSES_BEFORE_OPENING, Question, Response, Survey, SurveyKind
from surveys.selectors import survey_results
from surveys.services import SurveyError, response_save, survey_save

from . import factories
from .factories import ALL_ROLES
from .mailbox import delivered


def url(name: str, programme, *args: object) -> str:
    return reverse(f"surveys:{name}", args=[programme.organisation.slug, programme.pk, *args])


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
    Question.objects.create(survey=survey, kind="agree", text="I belong here", key="belong")
    Question.objects.create(survey=survey, kind="text", text="Anything else?", required=False)
    return survey


def cohort(programme, seniors: int, juniors: int):
    return [
        factories.programme_person(programme, Role.PARTICIPANT, Side.SENIOR) for _ in range(seniors)
    ] + [
        factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR) for _ in range(juniors)
    ]


def close(survey) -> None:
    """Results show only once a survey has closed."""
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()


def answer(survey, user, value: int, text: str = "", quote: bool = False) -> Response:
    """Send one response; `quote`: the respondent allows their written answer to be quoted."""
    questions = {q.kind: q for q in survey.questions.all()}
    return response_save(
        survey=survey,
        respondent=user,
        answers={questions["agree"].pk: value, questions["text"].pk: text},
        quotable={questions["text"].pk} if quote else set(),
        submit=True,
    )


@pytest.mark.django_db
def test_a_programme_starts_with_the_three_standard_surveys(programme):
    kinds = set(Survey.objects.filter(programme=programme).values_list("kind", flat=True))
    assert kinds == {SurveyKind.BASELINE, SurveyKind.INITIAL, SurveyKind.EVALUATION}
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    texts = " ".join(evaluation.questions.values_list("text", flat=True))
    assert "belonged in the room" in texts and "present yourself at your best" in texts
    categories = set(evaluation.questions.values_list("category", flat=True))
    assert {
        "learning",
        "career",
        "enabling",
        "emotional",
        "reciprocal",
        "organisational",
    } <= categories


@pytest.mark.django_db
def test_the_coordinator_builds_a_survey_and_bad_input_is_refused_beside_the_field(
    client, programme, coordinator
):
    client.force_login(coordinator)
    bad = client.post(
        url("list", programme),
        {
            "title": "Mid-point",
            "kind": "custom",
            "audience": "everyone",
            "opens_on": "2027-02-10",
            "closes_on": "2027-02-01",
        },
    )
    assert "A survey cannot close before it opens." in bad.content.decode()
    assert 'value="Mid-point"' in bad.content.decode()
    client.post(
        url("list", programme),
        {
            "title": "Mid-point",
            "kind": "custom",
            "audience": "junior",
            "opens_on": "2027-02-01",
            "closes_on": "2027-02-10",
        },
    )
    survey = Survey.objects.get(title="Mid-point")
    missing = client.post(
        url("add_question", programme, survey.pk),
        {"text": "Pick one", "kind": "single", "category": "other"},
    )
    assert "Give at least two choices, one per line." in missing.content.decode()
    client.post(
        url("add_question", programme, survey.pk),
        {
            "text": "Pick one",
            "kind": "multiple",
            "category": "other",
            "choices_text": "Ideas\nPeople\nPolitics",
            "required": "on",
        },
    )
    assert survey.questions.get().choices == ["Ideas", "People", "Politics"]


@pytest.mark.django_db
def test_a_respondent_saves_a_draft_comes_back_and_sends_once(client, programme):
    survey = open_survey(programme)
    person = cohort(programme, 1, 0)[0]
    agree = survey.questions.get(kind="agree")
    client.force_login(person)
    client.post(url("respond", programme, survey.pk), {"draft": "1", f"q{agree.pk}": "4"})
    response = Response.objects.get(survey=survey, respondent=person)
    assert response.submitted_at is None
    page = client.get(url("respond", programme, survey.pk)).content.decode()
    assert f'name="q{agree.pk}" value="4"' in page and "checked" in page
    client.post(url("respond", programme, survey.pk), {"send": "1", f"q{agree.pk}": "4"})
    response.refresh_from_db()
    assert response.submitted_at is not None
    with pytest.raises(SurveyError):
        answer(survey, person, 2)


@pytest.mark.django_db
def test_required_questions_and_the_audience_are_enforced(programme):
    survey = open_survey(programme, audience="senior")
    senior, junior = cohort(programme, 1, 1)
    with pytest.raises(SurveyError, match="marked"):
        response_save(survey=survey, respondent=senior, answers={}, submit=True)
    with pytest.raises(SurveyError, match="not for you"):
        answer(survey, junior, 3)


@pytest.mark.django_db
def test_a_survey_that_closes_mid_draft_keeps_nothing_half_submitted(programme):
    survey = open_survey(programme)
    person = cohort(programme, 1, 0)[0]
    agree = survey.questions.get(kind="agree")
    response_save(survey=survey, respondent=person, answers={agree.pk: 5}, submit=False)
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()
    with pytest.raises(SurveyError, match="closed"):
        answer(survey, person, 5)
    results = survey_results(survey)
    assert results.submitted == 0
    assert results.questions[0].respondents == 0


@pytest.mark.django_db
def test_results_below_the_threshold_are_hidden(client, programme, people):
    survey = open_survey(programme)
    for user in cohort(programme, 2, 2):
        answer(survey, user, 4, "Kind words")
    close(survey)
    client.force_login(people["coordinator"])
    page = client.get(url("results", programme, survey.pk)).content.decode()
    assert "Hidden: fewer than 5 people answered." in page
    assert "Kind words" not in page and "mean" not in page


@pytest.mark.django_db
def test_two_visible_figures_never_reveal_a_hidden_group_by_subtraction(client, programme, people):
    """Everyone (8) and the senior side (6) would give away the junior side's 2 answers."""
    survey = open_survey(programme)
    seniors_and_juniors = cohort(programme, 6, 2)
    for n, user in enumerate(seniors_and_juniors):
        answer(survey, user, 5 if n < 6 else 1, "Seen" if n < 6 else "Junior secret", n < 6)
    close(survey)
    result = survey_results(survey).questions[0]
    assert result.overall.count == 8 and result.overall.mean == 4.0
    assert result.by_side == {"senior": None, "junior": None}
    client.force_login(people["executive"])
    page = client.get(url("results", programme, survey.pk)).content.decode()
    assert "Senior side: hidden" in page and "Junior side: hidden" in page
    assert "Seen" in page and "Junior secret" not in page  # the juniors did not allow quoting
    free_text = survey_results(survey).questions[1].overall
    assert (free_text.written, free_text.quotable, free_text.quotes) == (8, 6, ("Seen",) * 6)


@pytest.mark.django_db
def test_both_sides_show_when_each_is_large_enough_and_the_change_since_baseline(programme):
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    people = cohort(programme, 5, 5)
    today = timezone.localdate()
    for survey, value in ((baseline, 2), (evaluation, 4)):
        Survey.objects.filter(pk=survey.pk).update(
            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
        )
        survey.refresh_from_db()
        questions = list(survey.questions.all())
        for user in people:
            answers = {
                q.pk: (value if q.kind == "agree" else 7 if q.kind == "scale10" else "x")
                for q in questions
            }
            response_save(survey=survey, respondent=user, answers=answers, submit=True)
    result = next(
        r for r in survey_results(evaluation).questions if r.question.key == "org_belonging"
    )
    assert result.by_side["senior"].mean == 4.0 and result.by_side["junior"].mean == 4.0
    assert result.change == 2.0 and result.change_by_side == {"senior": 2.0, "junior": 2.0}


@pytest.mark.parametrize("view", ["results"])
@pytest.mark.django_db
def test_only_coordinators_and_executive_sponsors_see_results(client, programme, people, view):
    survey = open_survey(programme)
    allowed = {"coordinator", "executive"}
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        assert client.get(url(view, programme, survey.pk)).status_code == expected, who


@pytest.mark.django_db
def test_another_organisations_survey_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    their_survey = Survey.objects.filter(programme=theirs).first()
    client.force_login(coordinator)
    for name in ("respond", "edit", "results"):
        assert client.get(url(name, programme, their_survey.pk)).status_code == 404


@pytest.mark.django_db
def test_non_respondents_are_reminded_weekly_until_the_survey_closes(programme):
    from datetime import UTC, datetime

    from django.core import mail
    from django_scopes import scope

    from notifications.services import reminders_record, reminders_send_due

    survey = open_survey(programme, audience="junior", title="Junior voice")
    junior, answered = cohort(programme, 0, 2)
    answer(survey, answered, 4)
    org = programme.organisation
    today = timezone.localdate()

    def sweep(day_offset: int) -> list[str]:
        mail.outbox.clear()
        at = datetime.combine(today + timedelta(days=day_offset), datetime.min.time(), tzinfo=UTC)
        at = at.replace(hour=12)
        with scope(organisation=org):
            reminders_record(organisation=org, now=at)
            reminders_send_due(organisation=org, now=at)
        return [m.to[0] for m in delivered() if "Junior voice" in m.body]

    assert sweep(0) == [junior.email]
    assert sweep(1) == []  # at most once a week, counted from the day it opened
    assert sweep(6) == [junior.email]  # a week after opening
    assert sweep(30) == []  # closed


@pytest.mark.django_db
def test_results_wait_until_the_survey_closes_so_no_new_answer_can_be_singled_out(
    client, programme, people
):
    survey = open_survey(programme)
    for user in cohort(programme, 3, 3):
        answer(survey, user, 4, "Kind words", quote=True)
    client.force_login(people["coordinator"])
    page = client.get(url("results", programme, survey.pk)).content.decode()
    assert "Results appear once the survey closes" in page and "Kind words" not in page
    close(survey)
    page = client.get(url("results", programme, survey.pk)).content.decode()
    assert "Kind words" in page


@pytest.mark.django_db
def test_review_fixes_audience_missing_answers_locked_settings_and_completion(
    client, programme, people
):
    survey = open_survey(programme, audience="senior")
    senior, junior = cohort(programme, 1, 1)
    client.force_login(junior)
    assert client.get(url("respond", programme, survey.pk)).status_code == 404

    client.force_login(senior)
    agree = survey.questions.get(kind="agree")
    page = client.post(url("respond", programme, survey.pk), {"send": "1"}).content.decode()
    assert "Answer this question to send." in page  # beside the question itself
    answer(survey, senior, 4)
    with pytest.raises(SurveyError):
        survey_save(programme=programme, values={"audience": "everyone"}, survey=survey)

    client.force_login(people["org_admin"])
    listing = client.get(url("list", programme)).content.decode()
    assert "Pulse of the cohort" in listing and "1 of 2" not in listing
    client.force_login(people["coordinator"])
    assert "1 of 2" in client.get(url("list", programme)).content.decode()
    assert agree


@pytest.mark.django_db
def test_each_builder_form_posts_to_its_own_address_and_a_refusal_keeps_what_was_typed(
    client, programme, coordinator
):
    survey = open_survey(programme, title="Mid-point")
    other = open_survey(programme, title="Other")
    theirs = other.questions.create(kind="text", text="Not this survey's", category="other")
    client.force_login(coordinator)
    assert client.post(url("edit", programme, survey.pk), {"title": "x"}).status_code == 405

    refused = client.post(
        url("save", programme, survey.pk),
        {
            "title": "Renamed",
            "kind": survey.kind,
            "audience": survey.audience,
            "opens_on": "2026-05-10",
            "closes_on": "2026-05-01",
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "A survey cannot close before it opens." in page
    assert 'value="Renamed"' in page and '<h2 class="h4">Mid-point</h2>' in page
    survey.refresh_from_db()
    assert survey.title == "Mid-point"

    assert client.post(url("remove_question", programme, survey.pk, theirs.pk)).status_code == 404
    assert other.questions.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_the_surveys_own_rule_on_its_dates_is_said_next_to_the_closing_date(programme):
    """The model's validation runs in the form: closing before opening is the model's rule."""
    backwards = {"opens_on": date(2027, 2, 10), "closes_on": date(2027, 2, 1)}
    with pytest.raises(ValidationError) as refused:
        Survey(programme=programme, title="Backwards", **backwards).full_clean()
    assert refused.value.message_dict == {"closes_on": [CLOSES_BEFORE_OPENING]}
    form = SurveyForm(
        {"title": "Backwards", "kind": "custom", "audience": "everyone", **backwards},
        instance=Survey(programme=programme),
    )
    assert form.errors == {"closes_on": [CLOSES_BEFORE_OPENING]}
