"""Editing a survey before it opens: change, add, remove and reorder its questions, preview it
as a respondent sees it; refused, saying why, once it has opened; the baseline and evaluation
questions keep the key the paired change matches them by."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Question, Survey, SurveyKind
from surveys.selectors import paired_questions
from surveys.services import (
    QuestionsLocked,
    SurveyError,
    question_delete,
    question_move,
    question_save,
    response_save,
    survey_save,
)

from .. import factories
from ..factories import ALL_ROLES, close_survey, open_survey, participants
from ..pages import page_text
from ..urls import programme_url

TWO = "Give at least two choices, one per line."
AGREE = {"kind": "agree", "category": "other", "key": "", "required": True, "choices": []}


def draft_survey(programme, size: int = 3) -> Survey:
    """A survey that opens in a week, with `size` questions "Question 1", "Question 2"..."""
    today = timezone.localdate()
    survey = survey_save(
        programme=programme,
        values={
            "title": "Mid-point",
            "audience": "everyone",
            "opens_on": today + timedelta(days=7),
            "closes_on": today + timedelta(days=21),
        },
    )
    for n in range(size):
        question_save(survey=survey, values={**AGREE, "text": f"Question {n + 1}"})
    return survey


def texts(survey: Survey) -> list[str]:
    return list(Question.objects.filter(survey=survey).values_list("text", flat=True))


def positions(survey: Survey) -> list[int]:
    return list(Question.objects.filter(survey=survey).values_list("position", flat=True))


def field_block(html: str, form: str, field: str) -> str:
    """The crispy block of one field: its label, input, help and errors."""
    found = re.search(rf'<div id="div_id_{form}_{field}".*?</div>\s*(</div>|<div id)', html, re.S)
    assert found, f"no {form} {field} field"
    return found.group(0)


@pytest.mark.django_db
def test_the_coordinator_changes_a_question_before_the_survey_opens(client, programme, coordinator):
    survey = draft_survey(programme)
    second = Question.objects.get(survey=survey, position=1)
    client.force_login(coordinator)
    url = programme_url("surveys:question", programme, survey.pk, second.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert ">\nQuestion 2</textarea>" in page.content.decode()

    saved = client.post(
        url,
        {
            "edit-text": "  Which of these   helped most? ",
            "edit-kind": "multiple",
            "edit-choices_text": "Meetings\n\nReading\n",
            "edit-category": "learning",
            "edit-key": "helped",
        },
    )
    edit = programme_url("surveys:edit", programme, survey.pk)
    assert saved.status_code == 302 and saved["Location"] == f"{edit}#question-{second.pk}"
    second.refresh_from_db()
    assert (second.text, second.kind, second.choices) == (
        "Which of these helped most?",
        "multiple",
        ["Meetings", "Reading"],
    )
    assert (second.category, second.key, second.required, second.position) == (
        "learning",
        "helped",
        False,
        1,
    )

    back = client.post(
        url,
        {
            "edit-text": "Rate it",
            "edit-kind": "agree",
            "edit-choices_text": "Meetings\nReading",
            "edit-category": "learning",
            "edit-required": "on",
        },
    )
    assert back.status_code == 302
    second.refresh_from_db()
    assert (second.kind, second.choices, second.required) == ("agree", [], True)


@pytest.mark.django_db
def test_adding_and_removing_keep_the_positions_contiguous(client, programme, coordinator):
    survey = draft_survey(programme, size=3)
    client.force_login(coordinator)
    page = client.get(programme_url("surveys:edit", programme, survey.pk)).content.decode()
    assert '<option value="agree" selected>' in page  # a new question's commonest kind
    second = Question.objects.get(survey=survey, position=1)
    removed = client.post(programme_url("surveys:remove_question", programme, survey.pk, second.pk))
    assert removed.status_code == 302
    assert (texts(survey), positions(survey)) == (["Question 1", "Question 3"], [0, 1])

    added = client.post(
        programme_url("surveys:add_question", programme, survey.pk),
        {"text": "Anything else?", "kind": "text", "category": "other"},
    )
    assert added.status_code == 302
    new = Question.objects.get(survey=survey, text="Anything else?")
    assert added["Location"].endswith(f"#question-{new.pk}")
    assert (texts(survey), positions(survey)) == (
        ["Question 1", "Question 3", "Anything else?"],
        [0, 1, 2],
    )
    assert not new.required

    question_delete(question=Question.objects.get(survey=survey, position=0))
    assert (texts(survey), positions(survey)) == (["Question 3", "Anything else?"], [0, 1])


@pytest.mark.django_db
def test_questions_move_up_and_down_by_one_place_with_plain_forms(client, programme, coordinator):
    survey = draft_survey(programme, size=4)
    first, second, third, fourth = Question.objects.filter(survey=survey)
    client.force_login(coordinator)

    def move(question, direction):
        url = programme_url("surveys:move_question", programme, survey.pk, question.pk)
        return client.post(url, {"direction": direction})

    moved = move(third, "up")
    assert moved.status_code == 302 and moved["Location"].endswith(f"#question-{third.pk}")
    assert texts(survey) == ["Question 1", "Question 3", "Question 2", "Question 4"]
    assert move(first, "down").status_code == 302
    assert texts(survey) == ["Question 3", "Question 1", "Question 2", "Question 4"]
    assert positions(survey) == [0, 1, 2, 3]
    assert question_move(question=fourth, direction="up") == 2
    assert texts(survey) == ["Question 3", "Question 1", "Question 4", "Question 2"]

    top = move(third, "up")
    assert top.status_code == 400
    assert "It is already the first question." in page_text(top)
    bottom = move(second, "down")
    assert bottom.status_code == 400 and "It is already the last question." in page_text(bottom)
    assert move(first, "sideways").status_code == 400
    assert texts(survey) == ["Question 3", "Question 1", "Question 4", "Question 2"]
    assert positions(survey) == [0, 1, 2, 3]

    page = client.get(programme_url("surveys:edit", programme, survey.pk)).content.decode()
    # No "move up" on the first question, no "move down" on the last; every button says which.
    assert page.count('value="up"') == 3 and page.count('value="down"') == 3
    assert 'Move up<span class="visually-hidden">, question 2</span>' in page
    assert 'Remove<span class="visually-hidden"> question 4</span>' in page


@pytest.mark.django_db
def test_the_preview_is_the_respondents_page_with_nothing_to_send(client, programme, coordinator):
    survey = draft_survey(programme, size=2)
    question_save(survey=survey, values={**AGREE, "kind": "text", "text": "Anything else?"})
    question_save(
        survey=survey,
        values={**AGREE, "kind": "single", "text": "Pick one", "choices": ["Red", "Blue"]},
    )
    client.force_login(coordinator)
    response = client.get(programme_url("surveys:preview", programme, survey.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Preview: Mid-point" in html
    notice = page_text(response)
    assert "Preview. This is the survey as participants of both sides see it" in notice
    assert "Nothing chosen or typed here is saved or sent." in notice
    questions = html[html.index("preview-questions") : html.index("preview-buttons")]
    for question in Question.objects.filter(survey=survey):
        # The respondent's own form: the same field names, labels, ids and quoting consent.
        assert f'id="id_responseform_q{question.pk}' in questions
        assert question.text in questions
    assert "Question 1 *" in html and 'value="Blue"' in html
    assert "You may quote this answer anonymously" in html
    content = html[html.index('id="main"') :]
    assert 'method="post"' not in content and 'type="submit"' not in content
    assert 'name="send"' not in html and "csrfmiddlewaretoken" not in content
    assert client.post(programme_url("surveys:preview", programme, survey.pk)).status_code == 405

    # A respondent sees the same questions once it opens.
    Survey.objects.filter(pk=survey.pk).update(opens_on=timezone.localdate())
    person = participants(programme, 1, 0)[0]
    client.force_login(person)
    theirs = client.get(programme_url("surveys:respond", programme, survey.pk)).content.decode()
    for question in Question.objects.filter(survey=survey):
        assert f'id="id_responseform_q{question.pk}' in theirs
    assert "Preview" not in page_text_of(theirs)


def page_text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["open", "closed"])
def test_once_a_survey_opens_its_questions_cannot_change_and_the_page_says_why(
    client, programme, coordinator, state
):
    survey = open_survey(programme)
    if state == "closed":
        close_survey(survey)
    first, second = Question.objects.filter(survey=survey)
    client.force_login(coordinator)
    edit = client.get(programme_url("surveys:edit", programme, survey.pk))
    assert edit.status_code == 200
    html = edit.content.decode()
    why = "answers already given" if state == "open" else "the answers people gave"
    assert why in page_text(edit)
    for name in ("question", "move_question", "remove_question"):
        assert programme_url(f"surveys:{name}", programme, survey.pk, first.pk) not in html
    assert programme_url("surveys:add_question", programme, survey.pk) not in html
    assert programme_url("surveys:preview", programme, survey.pk) in html

    attempts = [
        ("add_question", (), {"text": "One more", "kind": "agree", "category": "other"}),
        ("question", (first.pk,), {"edit-text": "Changed", "edit-kind": "agree"}),
        ("question", (first.pk,), {"edit-text": ""}),
        ("move_question", (second.pk,), {"direction": "up"}),
        ("remove_question", (second.pk,), {}),
    ]
    for name, args, data in attempts:
        refused = client.post(programme_url(f"surveys:{name}", programme, survey.pk, *args), data)
        assert refused.status_code == 409, name
        assert "so its questions can no longer change" in page_text(refused), name
    assert texts(survey) == ["I belong here", "Anything else?"]
    with pytest.raises(QuestionsLocked):
        question_save(survey=survey, values={**AGREE, "text": "One more"})
    page = client.get(programme_url("surveys:question", programme, survey.pk, first.pk))
    assert page.status_code == 200 and "Changed" not in page.content.decode()
    assert "so its questions can no longer change" in page_text(page)


@pytest.mark.django_db
def test_a_survey_moved_later_keeps_its_questions_once_someone_began_it(programme):
    survey = open_survey(programme)
    person = participants(programme, 1, 0)[0]
    agree = survey.questions.get(kind="agree")
    response_save(survey=survey, respondent=person, answers={agree.pk: 4}, submit=False)
    today = timezone.localdate()
    survey = survey_save(
        programme=programme,
        values={"opens_on": today + timedelta(days=2), "closes_on": today + timedelta(days=9)},
        survey=survey,
    )
    with pytest.raises(QuestionsLocked, match="People have begun answering"):
        question_delete(question=agree)
    with pytest.raises(QuestionsLocked):
        question_move(question=agree, direction="down")


@pytest.mark.django_db
def test_bad_questions_are_refused_beside_the_field_and_keep_what_was_typed(
    client, programme, coordinator
):
    survey = draft_survey(programme, size=2)
    question_save(survey=survey, values={**AGREE, "text": "Keyed", "key": "keyed"})
    client.force_login(coordinator)
    add = programme_url("surveys:add_question", programme, survey.pk)
    twice = "Give each choice once: “A” is there twice."
    cases = [
        ({"text": "Pick one", "kind": "single", "choices_text": "Only"}, "choices_text", TWO),
        ({"text": "Pick", "kind": "multiple", "choices_text": "A\nB\nA"}, "choices_text", twice),
        ({"text": "   ", "kind": "agree"}, "text", "Write the question."),
        ({"text": "Again", "kind": "agree", "key": "keyed"}, "key", "has the key “keyed”"),
        ({"text": "Odd key", "kind": "agree", "key": "no spaces"}, "key", "Enter a valid “slug”"),
    ]
    for data, field, message in cases:
        response = client.post(add, {"category": "other", **data})
        assert response.status_code == 400, data
        html = response.content.decode()
        block = field_block(html, "questionform", field)
        assert message in block, (field, block)
        # Tied to its field for a screen reader, and listed in the announced summary.
        assert re.search(rf'aria-describedby="[^"]*id_questionform_{field}_error"', block)
        summary = re.search(r'data-testid="error-summary">(.*?)</div>', html, re.S)
        assert summary and f'href="#id_questionform_{field}"' in summary.group(1)
        if data["text"].strip():
            assert f">\n{data['text']}</textarea>" in html  # what was typed is kept
        assert "<title>Error:" in html
    assert texts(survey) == ["Question 1", "Question 2", "Keyed"]

    first = Question.objects.get(survey=survey, position=0)
    edit = programme_url("surveys:question", programme, survey.pk, first.pk)
    refused = client.post(
        edit, {"edit-text": "Now a choice", "edit-kind": "single", "edit-category": "other"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert TWO in field_block(html, "questionform", "edit-choices_text")
    assert ">\nNow a choice</textarea>" in html
    first.refresh_from_db()
    assert (first.text, first.kind) == ("Question 1", "agree")


def standard(programme, kind: str) -> Survey:
    survey = Survey.objects.get(programme=programme, kind=kind)
    survey.programme = programme
    return survey


@pytest.mark.django_db
def test_rewording_a_paired_question_keeps_its_pairing_and_its_key_and_kind_stay(
    client, programme, coordinator
):
    """The baseline and the evaluation survey pair questions by key (the results' change and
    paired change): rewording keeps the key, so the pair; a new key or kind would break it."""
    baseline = standard(programme, SurveyKind.BASELINE)
    evaluation = standard(programme, SurveyKind.EVALUATION)
    question = Question.objects.get(survey=evaluation, key="learning_see")
    client.force_login(coordinator)
    url = programme_url("surveys:question", programme, evaluation.pk, question.pk)
    page = client.get(url)
    assert "“Baseline survey” asks this question too" in page_text(page)
    values = {
        "edit-text": "I now see things at work differently.",
        "edit-kind": "agree",
        "edit-category": "learning",
        "edit-required": "on",
        "edit-key": "learning_see",
    }
    assert client.post(url, values).status_code == 302
    question.refresh_from_db()
    assert question.text == "I now see things at work differently."
    assert paired_questions(evaluation)["learning_see"].survey == baseline
    assert paired_questions(baseline)["learning_see"] == question

    # The form shows its kind and key as fixed; whatever is posted, they stay.
    html = page.content.decode()
    for field in ("kind", "key"):
        block = field_block(html, "questionform", f"edit-{field}")
        assert "disabled" in block and "Stays as it is: “Baseline survey”" in block
    moved = client.post(url, {**values, "edit-key": "learning_sees", "edit-kind": "scale10"})
    assert moved.status_code == 302
    question.refresh_from_db()
    assert (question.key, question.kind) == ("learning_see", "agree")
    for field, value, message in (
        ("key", "learning_sees", "so the key stays"),
        ("kind", "scale10", "asks “learning_see” as Agreement, 1-5"),
    ):
        with pytest.raises(SurveyError, match=message) as refused:
            question_save(survey=evaluation, values={field: value}, question=question)
        assert refused.value.field == field
    question.refresh_from_db()
    assert (question.key, question.kind) == ("learning_see", "agree")

    edit_page = client.get(programme_url("surveys:edit", programme, evaluation.pk))
    assert page_text(edit_page).count("key learning_see · paired with “Baseline survey”") == 1

    # From the baseline's side too; and a question given a partner's key is asked its way.
    theirs = Question.objects.get(survey=baseline, key="org_belong_room")
    with pytest.raises(SurveyError, match="so the key stays") as refused:
        question_save(survey=baseline, values={"key": "belonging"}, question=theirs)
    assert refused.value.field == "key"
    question_delete(question=Question.objects.get(survey=evaluation, key="org_belong_room"))
    with pytest.raises(SurveyError, match="as Scale, 0-10") as refused:
        question_save(survey=evaluation, values={**AGREE, "text": "Back", "key": "org_belong_room"})
    assert refused.value.field == "kind"
    back = question_save(
        survey=evaluation,
        values={**AGREE, "kind": "scale10", "text": "Back", "key": "org_belong_room"},
    )
    assert paired_questions(baseline)["org_belong_room"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL_ROLES)
def test_only_those_who_run_the_programme_edit_and_preview(client, programme, people, who):
    survey = draft_survey(programme, size=2)
    question = Question.objects.filter(survey=survey).first()
    client.force_login(people[who])
    runs = who in ("coordinator", "org_admin")  # the organisation's admin runs it too
    expected = 200 if runs else 403
    for name, args in (
        ("edit", ()),
        ("preview", ()),
        ("question", (question.pk,)),
    ):
        url = programme_url(f"surveys:{name}", programme, survey.pk, *args)
        assert client.get(url).status_code == expected, (who, name)
    move = programme_url("surveys:move_question", programme, survey.pk, question.pk)
    moved = client.post(move, {"direction": "down"})
    assert moved.status_code == (302 if runs else expected), who
    assert texts(survey)[0] == ("Question 2" if runs else "Question 1")


@pytest.mark.django_db
def test_another_organisations_survey_and_questions_are_never_reachable(
    client, programme, coordinator
):
    theirs = factories.programme(factories.OrganisationFactory())
    their_survey = Survey.objects.filter(programme=theirs).first()
    their_question = their_survey.questions.first()
    mine = draft_survey(programme, size=1)
    client.force_login(coordinator)
    assert (
        client.get(programme_url("surveys:preview", programme, their_survey.pk)).status_code == 404
    )
    for survey in (their_survey, mine):  # their question, under their survey or under mine
        for name, data in (
            ("question", {"edit-text": "Mine now"}),
            ("move_question", {"direction": "down"}),
            ("remove_question", {}),
        ):
            url = programme_url(f"surveys:{name}", programme, survey.pk, their_question.pk)
            assert client.post(url, data).status_code == 404, name
            assert client.get(url).status_code in (404, 405), name
    their_question.refresh_from_db()
    assert their_question.position == 0 and their_question.text != "Mine now"


# The request's own (session, membership, programme, roles; the inbox count is kept in the
# cache once the first visit counted it) and the page's: the survey, its organisation's time
# zone, whether anyone began it, its questions.
EDIT_PAGE_QUERIES = 7  # the page's own, and the fixed overhead of a tenant page (at most 6)
PAIRED_QUERIES = 2  # a baseline or evaluation survey: its partner survey's questions


@pytest.mark.django_db
def test_the_edit_page_takes_the_same_queries_for_2_questions_and_20(
    client, programme, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    small = draft_survey(programme, size=2)
    large = draft_survey(programme, size=20)
    evaluation = standard(programme, SurveyKind.EVALUATION)  # 16 questions, 15 paired
    client.get(programme_url("surveys:edit", programme, small.pk))  # the session, warmed
    for survey, queries, shown in (
        (small, EDIT_PAGE_QUERIES, 2),
        (large, EDIT_PAGE_QUERIES, 20),
        (evaluation, EDIT_PAGE_QUERIES + PAIRED_QUERIES, 16),
    ):
        with django_assert_num_queries(queries):
            response = client.get(programme_url("surveys:edit", programme, survey.pk))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="question"') == shown
    assert response.content.decode().count('data-testid="paired-note"') == 15
