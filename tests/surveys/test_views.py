"""The survey pages: the builder, answering, and the results each role may read."""

import re

import pytest

from programmes.services import programme_setup_update
from surveys.models import Answer, Response, Survey
from surveys.services import SurveyError, survey_save

from .. import factories
from ..factories import (
    ALL_ROLES,
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
def test_the_coordinator_builds_a_survey_and_bad_input_is_refused_beside_the_field(
    client, programme, coordinator
):
    client.force_login(coordinator)
    bad = client.post(
        programme_url("surveys:list", programme),
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
        programme_url("surveys:list", programme),
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
        programme_url("surveys:add_question", programme, survey.pk),
        {"text": "Pick one", "kind": "single", "category": "other"},
    )
    assert "Give at least two choices, one per line." in missing.content.decode()
    client.post(
        programme_url("surveys:add_question", programme, survey.pk),
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
def test_each_builder_form_posts_to_its_own_address_and_a_refusal_keeps_what_was_typed(
    client, programme, coordinator
):
    survey = open_survey(programme, title="Mid-point")
    other = open_survey(programme, title="Other")
    theirs = other.questions.create(
        kind="text", text="Not this survey's", category="other", position=2
    )
    client.force_login(coordinator)
    assert (
        client.post(programme_url("surveys:edit", programme, survey.pk), {"title": "x"}).status_code
        == 405
    )

    refused = client.post(
        programme_url("surveys:save", programme, survey.pk),
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

    assert (
        client.post(
            programme_url("surveys:remove_question", programme, survey.pk, theirs.pk)
        ).status_code
        == 404
    )
    assert other.questions.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_a_respondent_saves_a_draft_comes_back_and_sends_once(client, programme):
    survey = open_survey(programme)
    person = participants(programme, 1, 0)[0]
    agree = survey.questions.get(kind="agree")
    client.force_login(person)
    client.post(
        programme_url("surveys:respond", programme, survey.pk), {"draft": "1", f"q{agree.pk}": "4"}
    )
    response = Response.objects.get(survey=survey, respondent=person)
    assert response.submitted_at is None
    page = client.get(programme_url("surveys:respond", programme, survey.pk)).content.decode()
    assert f'name="q{agree.pk}" value="4"' in page and "checked" in page
    client.post(
        programme_url("surveys:respond", programme, survey.pk), {"send": "1", f"q{agree.pk}": "4"}
    )
    response.refresh_from_db()
    assert response.submitted_at is not None
    with pytest.raises(SurveyError):
        answer(survey, person, 2)


@pytest.mark.django_db
def test_review_fixes_audience_missing_answers_locked_settings_and_completion(
    client, programme, people
):
    survey = open_survey(programme, audience="senior")
    senior, junior = participants(programme, 1, 1)
    client.force_login(junior)
    assert client.get(programme_url("surveys:respond", programme, survey.pk)).status_code == 404

    client.force_login(senior)
    agree = survey.questions.get(kind="agree")
    page = client.post(
        programme_url("surveys:respond", programme, survey.pk), {"send": "1"}
    ).content.decode()
    assert "Answer this question to send." in page  # beside the question itself
    answer(survey, senior, 4)
    with pytest.raises(SurveyError):
        survey_save(programme=programme, values={"audience": "everyone"}, survey=survey)

    client.force_login(people["org_admin"])
    listing = client.get(programme_url("surveys:list", programme)).content.decode()
    assert "Pulse of the cohort" in listing and "1 of 2" not in listing
    client.force_login(people["coordinator"])
    assert "1 of 2" in client.get(programme_url("surveys:list", programme)).content.decode()
    assert agree


@pytest.mark.django_db
def test_quoting_consent_sits_under_each_written_question_and_survives_a_draft(client, programme):
    survey = open_mid_point_survey(programme)
    agree, written = survey.questions.order_by("position")
    person = alternating_participants(programme, 1)[0]
    client.force_login(person)
    form = client.get(programme_url("surveys:respond", programme, survey.pk)).content.decode()
    consent = f'name="q{written.pk}_quote"'
    assert consent in form and f'name="q{agree.pk}_quote"' not in form
    # Right under its own question: after the text box, before anything else.
    assert form.index(f'name="q{written.pk}"') < form.index(consent)
    assert "You may quote this answer anonymously in results and reports" in form

    client.post(
        programme_url("surveys:respond", programme, survey.pk),
        {"draft": "1", f"q{written.pk}": "More time", f"q{written.pk}_quote": "on"},
    )
    draft = Answer.objects.get(response__respondent=person, question=written)
    assert (draft.value, draft.may_quote) == ("More time", True)
    again = client.get(programme_url("surveys:respond", programme, survey.pk)).content.decode()
    assert re.search(rf"<input[^>]*{consent}[^>]*checked|<input[^>]*checked[^>]*{consent}", again)

    client.post(
        programme_url("surveys:respond", programme, survey.pk),
        {"send": "1", f"q{agree.pk}": "4", f"q{written.pk}": "More time"},  # consent withdrawn
    )
    sent = Answer.objects.get(response__respondent=person, question=written)
    assert (sent.value, sent.may_quote) == ("More time", False)
    mine = page_text(client.get(programme_url("surveys:respond", programme, survey.pk)))
    assert "More time (not to be quoted)" in mine


@pytest.mark.django_db
def test_the_error_summary_shows_once_and_is_announced(client, programme):
    survey = open_mid_point_survey(programme)
    agree, _ = survey.questions.order_by("position")
    client.force_login(alternating_participants(programme, 1)[0])
    response = client.post(programme_url("surveys:respond", programme, survey.pk), {"send": "1"})
    html = response.content.decode()
    message = "Answer every question marked * before sending; your draft is kept."
    assert response.status_code == 400
    assert html.count(message) == 1
    summary = re.search(
        r'<div class="alert alert-danger" role="alert"[^>]*>(.*?)</div>', html, re.S
    )
    assert summary and message in summary.group(1)
    anchor = f"div_id_responseform_q{agree.pk}"
    assert f'href="#{anchor}"' in summary.group(1)  # a link to the question to answer
    assert f'id="{anchor}"' in html
    assert "<title>Error: Mid-point" in html
    assert "Answer this question to send." in html  # and beside the question itself


@pytest.mark.django_db
def test_the_respond_page_states_the_surveys_threshold(client, programme):
    survey = open_mid_point_survey(programme)
    programme_setup_update(programme=programme, anonymity_threshold=7)
    client.force_login(alternating_participants(programme, 1)[0])
    page = page_text(client.get(programme_url("surveys:respond", programme, survey.pk)))
    assert "only as totals of at least 7 people" in page
    assert "it is quoted only if at least 7 people wrote an answer" in page


@pytest.mark.django_db
def test_results_below_the_threshold_are_hidden(client, programme, people):
    survey = open_survey(programme)
    for user in participants(programme, 2, 2):
        answer(survey, user, 4, "Kind words")
    close_survey(survey)
    client.force_login(people["coordinator"])
    page = client.get(programme_url("surveys:results", programme, survey.pk)).content.decode()
    assert "Hidden: fewer than 5 people answered." in page
    assert "Kind words" not in page and "mean" not in page


@pytest.mark.django_db
def test_results_wait_until_the_survey_closes_so_no_new_answer_can_be_singled_out(
    client, programme, people
):
    survey = open_survey(programme)
    for user in participants(programme, 3, 3):
        answer(survey, user, 4, "Kind words", quote=True)
    client.force_login(people["coordinator"])
    page = client.get(programme_url("surveys:results", programme, survey.pk)).content.decode()
    assert "Results appear once the survey closes" in page and "Kind words" not in page
    close_survey(survey)
    page = client.get(programme_url("surveys:results", programme, survey.pk)).content.decode()
    assert "Kind words" in page


@pytest.mark.parametrize("view", ["results"])
@pytest.mark.django_db
def test_only_coordinators_and_executive_sponsors_see_results(client, programme, people, view):
    survey = open_survey(programme)
    allowed = {"coordinator", "executive"}
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        assert (
            client.get(programme_url(f"surveys:{view}", programme, survey.pk)).status_code
            == expected
        ), who


@pytest.mark.django_db
def test_another_organisations_survey_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    their_survey = Survey.objects.filter(programme=theirs).first()
    client.force_login(coordinator)
    for name in ("respond", "edit", "results"):
        assert (
            client.get(programme_url(f"surveys:{name}", programme, their_survey.pk)).status_code
            == 404
        )


WORDS = [
    "My manager in Finance talks over me in every meeting",
    "The promotion panel never explains its decisions",
    "Time to meet",
    "Time to meet",
    "Politics",
    "Nothing to add, honestly, sorry!!",
]


@pytest.mark.parametrize("who", ["coordinator", "executive"])
@pytest.mark.django_db
def test_the_results_page_quotes_only_answers_their_authors_allowed(client, programme, people, who):
    survey = open_mid_point_survey(programme)
    allowed = {"Time to meet", "Politics"}
    for user, text in zip(alternating_participants(programme, 6), WORDS, strict=True):
        answer(survey, user, text=text, quote=text in allowed)
    close_survey(survey)
    client.force_login(people[who])
    page = page_text(client.get(programme_url("surveys:results", programme, survey.pk)))
    assert "6 people wrote an answer; 3 of them allowed quoting." in page
    assert "Politics Time to meet Time to meet" in page  # sorted: the order says nothing
    for text in set(WORDS) - allowed:
        assert text not in page, text


@pytest.mark.django_db
def test_nothing_is_quoted_when_too_few_wrote_or_nobody_allowed_it(client, programme, people):
    few = open_mid_point_survey(programme)
    unwilling = open_mid_point_survey(programme)
    for user in alternating_participants(programme, 6)[:4]:
        answer(few, user, text="Quote me, please", quote=True)
    for user, text in zip(alternating_participants(programme, 6), WORDS, strict=True):
        answer(unwilling, user, text=text, quote=False)
    close_survey(few)
    close_survey(unwilling)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:results", programme, few.pk)))
    assert "4 people wrote an answer; 4 of them allowed quoting." in page
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in page
    assert "Quote me, please" not in page
    page = page_text(client.get(programme_url("surveys:results", programme, unwilling.pk)))
    assert "Nothing is quoted. Nobody allowed their answer to be quoted." in page
    assert not any(text in page for text in WORDS)


@pytest.mark.django_db
def test_raising_the_threshold_hides_more_of_a_closed_survey(client, programme, people):
    survey = open_mid_point_survey(programme)
    for user in alternating_participants(programme, 6):
        answer(survey, user, value=4, text="Shared words", quote=True)
    close_survey(survey)
    client.force_login(people["executive"])
    page = page_text(client.get(programme_url("surveys:results", programme, survey.pk)))
    assert "mean 4.0" in page and "Shared words" in page
    programme_setup_update(programme=programme, anonymity_threshold=7)
    page = page_text(client.get(programme_url("surveys:results", programme, survey.pk)))
    assert "Hidden: fewer than 7 people answered." in page
    assert "Nothing is quoted. Fewer than 7 people wrote an answer." in page
    assert "Shared words" not in page
    programme_setup_update(programme=programme, anonymity_threshold=3)
    survey.refresh_from_db()
    assert survey.closed_threshold == 5  # the one it closed with, not the 7 it was shown under
    assert "mean 4.0" in page_text(
        client.get(programme_url("surveys:results", programme, survey.pk))
    )
