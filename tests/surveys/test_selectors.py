"""The results' figures: no group below the threshold, none revealed by subtraction, and
a closed survey keeps the threshold it closed with."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.services import programme_setup_update
from surveys.models import Response, Survey, SurveyKind
from surveys.selectors import survey_results
from surveys.services import response_save

from .. import factories
from ..factories import (
    alternating_participants,
    answer,
    close_survey,
    open_mid_point_survey,
    open_survey,
    participants,
)
from ..pages import page_text
from ..urls import programme_url


@pytest.mark.django_db
def test_two_visible_figures_never_reveal_a_hidden_group_by_subtraction(client, programme, people):
    """Everyone (8) and the senior side (6) would give away the junior side's 2 answers."""
    survey = open_survey(programme)
    seniors_and_juniors = participants(programme, 6, 2)
    for n, user in enumerate(seniors_and_juniors):
        answer(survey, user, 5 if n < 6 else 1, "Seen" if n < 6 else "Junior secret", n < 6)
    close_survey(survey)
    result = survey_results(survey).questions[0]
    assert result.overall.count == 8 and result.overall.mean == 4.0
    assert result.by_side == {"senior": None, "junior": None}
    client.force_login(people["executive"])
    page = client.get(programme_url("surveys:results", programme, survey.pk)).content.decode()
    assert "Senior side: hidden" in page and "Junior side: hidden" in page
    assert "Seen" in page and "Junior secret" not in page  # the juniors did not allow quoting
    free_text = survey_results(survey).questions[1].overall
    assert (free_text.written, free_text.quotable, free_text.quotes) == (8, 6, ("Seen",) * 6)


@pytest.mark.django_db
def test_both_sides_show_when_each_is_large_enough_and_the_change_since_baseline(programme):
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    people = participants(programme, 5, 5)
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


@pytest.mark.django_db
def test_lowering_the_threshold_reveals_nothing_more_of_a_closed_survey(client, programme, people):
    hidden = open_mid_point_survey(programme)
    for user in alternating_participants(programme, 4):
        answer(hidden, user, value=2, text="Secret words", quote=True)
    close_survey(hidden)
    still_open = open_mid_point_survey(programme)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:results", programme, hidden.pk)))
    assert "Hidden: fewer than 5 people answered." in page and "Secret words" not in page

    programme_setup_update(programme=programme, anonymity_threshold=3)
    page = page_text(client.get(programme_url("surveys:results", programme, hidden.pk)))
    assert "Hidden: fewer than 5 people answered." in page
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in page
    assert "Secret words" not in page and "mean" not in page
    hidden.refresh_from_db()
    still_open.refresh_from_db()
    assert (hidden.closed_threshold, still_open.closed_threshold) == (5, None)
    assert survey_results(still_open).threshold == 3  # not closed yet: the new threshold applies


def _answer_all(survey, people, value: int) -> None:
    questions = list(survey.questions.all())
    for user in people:
        answers = {
            q.pk: (value if q.kind == "agree" else 2 * value if q.kind == "scale10" else "x")
            for q in questions
        }
        response_save(survey=survey, respondent=user, answers=answers, submit=True)


def _answered_then_closed(survey, answered) -> None:
    """The survey opens, each group answers every question with its value, and it closes."""
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
    )
    survey.refresh_from_db()
    for who, value in answered:
        _answer_all(survey, who, value)
    close_survey(survey)


@pytest.mark.django_db
def test_a_different_set_of_respondents_moves_the_means_but_not_the_paired_change(
    client, programme, people
):
    """Five stayed at 3 from baseline to evaluation; five others answered only the baseline
    (3) and five newcomers only the evaluation (5): the means moved by +1.0, nobody changed."""
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    stayed, left, joined = (participants(programme, 3, 2) for _ in range(3))
    _answered_then_closed(baseline, ((stayed, 3), (left, 3)))
    _answered_then_closed(evaluation, ((stayed, 3), (joined, 5)))
    result = next(
        r for r in survey_results(evaluation).questions if r.question.key == "org_belonging"
    )
    assert result.change == 1.0
    assert (result.paired.count, result.paired.mean, result.paired.low) == (5, 0.0, None)
    with_interval = next(
        r
        for r in survey_results(evaluation, interval=True).questions
        if r.question.key == "org_belonging"
    )
    assert (with_interval.paired.low, with_interval.paired.high) == (0.0, 0.0)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:results", programme, evaluation.pk)))
    assert "change since baseline +1.0" in page
    assert "The 5 people who answered both surveys: change +0.0" in page


@pytest.mark.django_db
def test_answers_linked_to_nobody_after_an_erasure_are_never_paired_with_each_other(programme):
    """Two people erased after answering: one gave 1 at baseline, the other 5 at evaluation.
    Their rows stay, linked to nobody, and must not pair as one person who moved by +4."""
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    stayed = participants(programme, 3, 2)
    erased_early, erased_late = participants(programme, 1, 0), participants(programme, 1, 0)
    _answered_then_closed(baseline, ((stayed, 3), (erased_early, 1)))
    _answered_then_closed(evaluation, ((stayed, 3), (erased_late, 5)))
    Response.objects.filter(respondent__in=[*erased_early, *erased_late]).update(respondent=None)
    result = next(
        r for r in survey_results(evaluation).questions if r.question.key == "org_belonging"
    )
    assert result.paired.count == 5  # the five who stayed, and nobody else
    assert result.paired.mean is None  # one unlinked answer on each side could be subtracted


@pytest.mark.django_db
def test_each_survey_is_listed_once_with_its_submitted_and_expected_counts_in_one_query(
    programme,
):
    """The counts are subqueries beside each survey, not a join of every response grouped
    back into surveys: joined, the audience's count was worked out once per response (1,440
    times for three surveys of a 300-pair programme, a sixth of a second)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisations.roles import Role
    from programmes.models import ProgrammeMember
    from surveys.selectors import surveys_with_completion

    from .test_results_pinned import fixed_results_world

    evaluation, baseline = fixed_results_world(programme)
    members = ProgrammeMember.objects.filter(programme=programme)
    participants_count = members.filter(role=Role.PARTICIPANT).count()
    factories.programme_person(programme, Role.STEERING)
    for_steering = open_survey(programme, audience="steering")
    for_seniors = open_survey(programme, audience="senior")
    with CaptureQueriesContext(connection) as queries:
        listed = surveys_with_completion(programme)
    assert len(queries) == 1
    assert 'JOIN "surveys_response"' not in queries[0]["sql"]
    by_survey = {row.survey.pk: row for row in listed}
    assert len(listed) == len(by_survey) == Survey.objects.filter(programme=programme).count()
    for survey in (evaluation, baseline):
        sent = Response.objects.filter(survey=survey, submitted_at__isnull=False)
        submitted = sent.count()
        assert submitted and by_survey[survey.pk].survey.submitted == submitted
        # Everyone still in the programme, and those who answered and were then erased.
        erased = sent.filter(respondent__isnull=True).count()
        assert by_survey[survey.pk].expected == participants_count + erased
    assert by_survey[for_steering.pk].expected == members.filter(role=Role.STEERING).count() > 0
    seniors = members.filter(role=Role.PARTICIPANT, side="senior").count()
    assert 0 < by_survey[for_seniors.pk].expected == seniors < participants_count


@pytest.mark.django_db
def test_completion_counts_everyone_a_survey_was_for_and_never_more_answers_than_people(
    client, programme, people
):
    """An erased person's answers still count in the figures, but they are no longer in the
    programme: counted as answered and not as someone it is for, the survey once read "17 of
    16 people answered (106%)". They count as both, and whoever has not answered still shows."""
    from organisations.erasure import account_erase
    from programmes.models import ProgrammeMember
    from surveys.selectors import survey_audience, surveys_with_completion

    survey = open_survey(programme)
    answered_then_erased, answered = participants(programme, 2, 0)
    for user in (answered_then_erased, answered):
        answer(survey, user)
    audience, erased = survey_audience(survey).count(), answered_then_erased.pk
    account_erase(person=answered_then_erased)
    assert survey_audience(survey).count() == audience - 1
    assert not ProgrammeMember.objects.filter(user_id=erased).exists()

    listed = {row.survey.pk: row for row in surveys_with_completion(programme)}[survey.pk]
    assert (listed.survey.submitted, listed.expected) == (2, audience)
    close_survey(survey)
    results = survey_results(survey)
    assert (results.submitted, results.expected) == (2, audience) and audience > 2
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:results", programme, survey.pk)))
    assert f"2 of {audience} people answered ({round(200 / audience)}%)" in page
