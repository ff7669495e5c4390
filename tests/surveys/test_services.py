"""Saving surveys and responses: who may answer, drafts, quoting consent, and a closed
survey that stays closed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Answer, Survey
from surveys.selectors import survey_results
from surveys.services import SurveyError, response_save, survey_save

from ..factories import (
    alternating_participants,
    answer,
    close_survey,
    open_mid_point_survey,
    open_survey,
    participants,
)
from ..urls import programme_url


@pytest.mark.django_db
def test_required_questions_and_the_audience_are_enforced(programme):
    survey = open_survey(programme, audience="senior")
    senior, junior = participants(programme, 1, 1)
    with pytest.raises(SurveyError, match="marked"):
        response_save(survey=survey, respondent=senior, answers={}, submit=True)
    with pytest.raises(SurveyError, match="not for you"):
        answer(survey, junior, 3)


@pytest.mark.django_db
def test_a_survey_that_closes_mid_draft_keeps_nothing_half_submitted(programme):
    survey = open_survey(programme)
    person = participants(programme, 1, 0)[0]
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
def test_an_answer_that_is_not_free_text_never_carries_quoting_consent(programme):
    survey = open_mid_point_survey(programme)
    agree, written = survey.questions.order_by("position")
    person = alternating_participants(programme, 1)[0]
    response_save(
        survey=survey,
        respondent=person,
        answers={agree.pk: 5, written.pk: "Fine"},
        quotable={agree.pk, written.pk},
        submit=True,
    )
    consent = dict(
        Answer.objects.filter(response__respondent=person).values_list("question", "may_quote")
    )
    assert consent == {agree.pk: False, written.pk: True}


def edit_values(survey, **changes) -> dict[str, str]:
    values = {
        "title": survey.title,
        "kind": survey.kind,
        "audience": survey.audience,
        "intro": survey.intro,
        "opens_on": survey.opens_on.isoformat(),
        "closes_on": survey.closes_on.isoformat(),
    }
    values.update({field: str(value) for field, value in changes.items()})
    return values


@pytest.mark.django_db
def test_a_closed_survey_cannot_reopen_for_one_more_answer(client, programme, people):
    """The attack: close, move the closing date forward, one more answer, close again, and read
    that answer by difference. Refused at the first step, so the figures cannot move."""
    survey = open_mid_point_survey(programme)
    first_five, late = (
        alternating_participants(programme, 5),
        alternating_participants(programme, 1)[0],
    )
    for user in first_five:
        answer(survey, user, value=5)
    close_survey(survey)
    before = survey_results(survey).questions[0].overall
    client.force_login(people["coordinator"])
    later = timezone.localdate() + timedelta(days=7)
    response = client.post(
        programme_url("surveys:save", programme, survey.pk), edit_values(survey, closes_on=later)
    )
    html = response.content.decode()
    assert response.status_code == 400
    message = "This survey has closed; it cannot reopen. Create a new survey instead."
    field = re.search(r'<div id="div_id_\w*_closes_on".*?</div>\s*</div>', html, re.S)
    assert field and message in field.group(0)  # beside the closing date
    assert f'value="{later.isoformat()}"' in html  # what was typed is kept
    survey.refresh_from_db()
    assert survey.closes_on < timezone.localdate()
    with pytest.raises(SurveyError, match="closed"):
        answer(survey, late, value=1)
    assert survey_results(survey).questions[0].overall == before
    with pytest.raises(SurveyError, match="cannot reopen"):
        survey_save(programme=programme, values={"opens_on": timezone.localdate()}, survey=survey)
    renamed = survey_save(programme=programme, values={"title": "Mid-point, done"}, survey=survey)
    assert renamed.title == "Mid-point, done"  # what does not reopen it may still change


@pytest.mark.django_db
def test_a_survey_with_answers_may_only_close_later_and_never_open_after_its_first_answer(
    programme,
):
    survey = open_mid_point_survey(programme)
    answer(survey, alternating_participants(programme, 1)[0])
    today = timezone.localdate()
    with pytest.raises(SurveyError, match="can only move later") as earlier:
        survey_save(
            programme=programme, values={"closes_on": today + timedelta(days=2)}, survey=survey
        )
    assert earlier.value.field == "closes_on"
    with pytest.raises(SurveyError, match="cannot open later") as opens:
        survey_save(
            programme=programme, values={"opens_on": today + timedelta(days=1)}, survey=survey
        )
    assert opens.value.field == "opens_on"
    moved = survey_save(
        programme=programme,
        values={"opens_on": today - timedelta(days=5), "closes_on": today + timedelta(days=9)},
        survey=survey,
    )
    assert (moved.opens_on, moved.closes_on) == (
        today - timedelta(days=5),
        today + timedelta(days=9),
    )
    assert (
        survey_save(programme=programme, values={"opens_on": today}, survey=survey).opens_on
        == today
    )


@pytest.mark.django_db
def test_without_answers_an_open_survey_may_still_close_earlier(programme):
    survey = open_mid_point_survey(programme)
    today = timezone.localdate()
    saved = survey_save(programme=programme, values={"closes_on": today}, survey=survey)
    assert saved.closes_on == today
