"""Issue 10: free text is quoted only with its author's consent, a closed survey stays closed,
and a closed survey keeps the anonymity threshold it closed with."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from organisations.roles import Role, Side
from programmes.services import programme_setup_update
from reports.evaluation import evaluation_html
from reports.pdf import html_to_pdf
from surveys.models import Answer, Question, Response, Survey, SurveyKind
from surveys.selectors import survey_results
from surveys.services import SurveyError, response_save, survey_save

from . import factories


def url(name: str, programme, *args: object) -> str:
    return reverse(f"surveys:{name}", args=[programme.organisation.slug, programme.pk, *args])


def cohort(programme, size: int) -> list:
    sides = (Side.SENIOR, Side.JUNIOR)
    return [
        factories.programme_person(programme, Role.PARTICIPANT, sides[n % 2]) for n in range(size)
    ]


def open_survey(programme) -> Survey:
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


def send(survey, user, value: int = 4, text: str = "", quote: bool = False) -> Response:
    agree, written = survey.questions.order_by("position")
    return response_save(
        survey=survey,
        respondent=user,
        answers={agree.pk: value, written.pk: text},
        quotable={written.pk} if quote else set(),
        submit=True,
    )


def close(survey) -> None:
    """The survey's closing day passes (as time does, not as the coordinator's edit)."""
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()


def page_text(response) -> str:
    """The page as a reader sees it: tags stripped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Free text is quoted only with consent ------------------------------------------------------

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
    survey = open_survey(programme)
    allowed = {"Time to meet", "Politics"}
    for user, text in zip(cohort(programme, 6), WORDS, strict=True):
        send(survey, user, text=text, quote=text in allowed)
    close(survey)
    client.force_login(people[who])
    page = page_text(client.get(url("results", programme, survey.pk)))
    assert "6 people wrote an answer; 3 of them allowed quoting." in page
    assert "Politics Time to meet Time to meet" in page  # sorted: the order says nothing
    for text in set(WORDS) - allowed:
        assert text not in page, text


@pytest.mark.django_db
def test_nothing_is_quoted_when_too_few_wrote_or_nobody_allowed_it(client, programme, people):
    few = open_survey(programme)
    unwilling = open_survey(programme)
    for user in cohort(programme, 6)[:4]:
        send(few, user, text="Quote me, please", quote=True)
    for user, text in zip(cohort(programme, 6), WORDS, strict=True):
        send(unwilling, user, text=text, quote=False)
    close(few)
    close(unwilling)
    client.force_login(people["coordinator"])
    page = page_text(client.get(url("results", programme, few.pk)))
    assert "4 people wrote an answer; 4 of them allowed quoting." in page
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in page
    assert "Quote me, please" not in page
    page = page_text(client.get(url("results", programme, unwilling.pk)))
    assert "Nothing is quoted. Nobody allowed their answer to be quoted." in page
    assert not any(text in page for text in WORDS)


@pytest.mark.django_db
def test_quoting_consent_sits_under_each_written_question_and_survives_a_draft(client, programme):
    survey = open_survey(programme)
    agree, written = survey.questions.order_by("position")
    person = cohort(programme, 1)[0]
    client.force_login(person)
    form = client.get(url("respond", programme, survey.pk)).content.decode()
    consent = f'name="q{written.pk}_quote"'
    assert consent in form and f'name="q{agree.pk}_quote"' not in form
    # Right under its own question: after the text box, before anything else.
    assert form.index(f'name="q{written.pk}"') < form.index(consent)
    assert "You may quote this answer anonymously in results and reports" in form

    client.post(
        url("respond", programme, survey.pk),
        {"draft": "1", f"q{written.pk}": "More time", f"q{written.pk}_quote": "on"},
    )
    draft = Answer.objects.get(response__respondent=person, question=written)
    assert (draft.value, draft.may_quote) == ("More time", True)
    again = client.get(url("respond", programme, survey.pk)).content.decode()
    assert re.search(rf"<input[^>]*{consent}[^>]*checked|<input[^>]*checked[^>]*{consent}", again)

    client.post(
        url("respond", programme, survey.pk),
        {"send": "1", f"q{agree.pk}": "4", f"q{written.pk}": "More time"},  # consent withdrawn
    )
    sent = Answer.objects.get(response__respondent=person, question=written)
    assert (sent.value, sent.may_quote) == ("More time", False)
    mine = page_text(client.get(url("respond", programme, survey.pk)))
    assert "More time (not to be quoted)" in mine


@pytest.mark.django_db
def test_an_answer_that_is_not_free_text_never_carries_quoting_consent(programme):
    survey = open_survey(programme)
    agree, written = survey.questions.order_by("position")
    person = cohort(programme, 1)[0]
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


@pytest.mark.django_db
def test_the_error_summary_shows_once_and_is_announced(client, programme):
    survey = open_survey(programme)
    agree, _ = survey.questions.order_by("position")
    client.force_login(cohort(programme, 1)[0])
    response = client.post(url("respond", programme, survey.pk), {"send": "1"})
    html = response.content.decode()
    message = "Answer every question marked * before sending; your draft is kept."
    assert response.status_code == 400
    assert html.count(message) == 1
    summary = re.search(
        r'<div class="alert alert-danger" role="alert"[^>]*>(.*?)</div>', html, re.S
    )
    assert summary and message in summary.group(1)
    assert f'href="#div_id_q{agree.pk}"' in summary.group(1)  # a link to the question to answer
    assert f'id="div_id_q{agree.pk}"' in html
    assert "<title>Error: Mid-point" in html
    assert "Answer this question to send." in html  # and beside the question itself


# --- The evaluation report ----------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _standard_answer(question, text: str) -> object:
    return {"agree": 4, "scale10": 8, "single": (question.choices or [""])[0]}.get(
        question.kind, text
    )


def answer_standard(survey, people, themes: dict[str, tuple[str, bool]]) -> None:
    """Everyone answers every question; `themes` gives a person's (written answer, may quote)."""
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - timedelta(days=2), closes_on=today + timedelta(days=1)
    )
    survey.refresh_from_db()
    questions = list(survey.questions.all())
    for person in people:
        text, quote = themes.get(person.email, ("", False))
        answers = {q.pk: _standard_answer(q, text) for q in questions}
        written = {q.pk for q in questions if q.kind == "text"}
        response_save(
            survey=survey,
            respondent=person,
            answers=answers,
            quotable=written if quote else set(),
            submit=True,
        )
    close(survey)


def report_text(programme, people, themes: dict[str, tuple[str, bool]], *, threshold=None) -> str:
    """The PDF's text once the initial and evaluation surveys are answered and closed, and the
    programme's threshold then changed to `threshold`, if given."""
    for kind in (SurveyKind.INITIAL, SurveyKind.EVALUATION):
        answer_standard(Survey.objects.get(programme=programme, kind=kind), people, themes)
    if threshold is not None:
        programme_setup_update(programme=programme, anonymity_threshold=threshold)
    return pdf_text(html_to_pdf(evaluation_html(programme)).content)


@pytest.mark.django_db
def test_the_report_quotes_only_consented_answers_and_never_a_theme_raised_by_one(programme):
    people = cohort(programme, 8)
    given = [
        ("Promotion panels", True),
        ("promotion  panels", True),  # the same answer, spelt differently
        ("Flexible working", True),
        ("My director, who sits next to me", False),
        ("Promotion panels", False),  # the same words, but not allowed: neither quoted nor counted
        ("Nobody listens to the night shift", False),
    ]
    themes = {person.email: answer for person, answer in zip(people, given, strict=False)}
    text = report_text(programme, people, themes)
    assert "Themes and systemic actions" in text
    assert "6 people wrote a theme; 3 of them allowed quoting." in text
    assert "Promotion panels 2 people" in text
    assert "Flexible working" in text and "Flexible working 1" not in text
    assert "3 people" not in text  # the refused "Promotion panels" is not counted
    assert "My director" not in text and "night shift" not in text
    assert "6 people wrote an answer; 3 of them allowed quoting." in text  # evaluation free text
    assert "only when at least 5 people wrote an answer" in text


@pytest.mark.django_db
def test_the_report_says_why_nothing_is_quoted(programme):
    people = cohort(programme, 8)
    text = report_text(programme, people, {p.email: ("Work on the rota", False) for p in people})
    assert "8 people wrote a theme; 0 of them allowed quoting." in text
    assert "Nothing is quoted. Nobody allowed their answer to be quoted." in text
    assert "Work on the rota" not in text


# --- A closed survey stays closed ---------------------------------------------------------------


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
    survey = open_survey(programme)
    first_five, late = cohort(programme, 5), cohort(programme, 1)[0]
    for user in first_five:
        send(survey, user, value=5)
    close(survey)
    before = survey_results(survey).questions[0].overall
    client.force_login(people["coordinator"])
    later = timezone.localdate() + timedelta(days=7)
    response = client.post(url("save", programme, survey.pk), edit_values(survey, closes_on=later))
    html = response.content.decode()
    assert response.status_code == 400
    message = "This survey has closed; it cannot reopen. Create a new survey instead."
    field = re.search(r'<div id="div_id_closes_on".*?</div>\s*</div>', html, re.S)
    assert field and message in field.group(0)  # beside the closing date
    assert f'value="{later.isoformat()}"' in html  # what was typed is kept
    survey.refresh_from_db()
    assert survey.closes_on < timezone.localdate()
    with pytest.raises(SurveyError, match="closed"):
        send(survey, late, value=1)
    assert survey_results(survey).questions[0].overall == before
    with pytest.raises(SurveyError, match="cannot reopen"):
        survey_save(programme=programme, values={"opens_on": timezone.localdate()}, survey=survey)
    renamed = survey_save(programme=programme, values={"title": "Mid-point, done"}, survey=survey)
    assert renamed.title == "Mid-point, done"  # what does not reopen it may still change


@pytest.mark.django_db
def test_a_survey_with_answers_may_only_close_later_and_never_open_after_its_first_answer(
    programme,
):
    survey = open_survey(programme)
    send(survey, cohort(programme, 1)[0])
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
    survey = open_survey(programme)
    today = timezone.localdate()
    saved = survey_save(programme=programme, values={"closes_on": today}, survey=survey)
    assert saved.closes_on == today


# --- A closed survey keeps its threshold --------------------------------------------------------


@pytest.mark.django_db
def test_lowering_the_threshold_reveals_nothing_more_of_a_closed_survey(client, programme, people):
    hidden = open_survey(programme)
    for user in cohort(programme, 4):
        send(hidden, user, value=2, text="Secret words", quote=True)
    close(hidden)
    still_open = open_survey(programme)
    client.force_login(people["coordinator"])
    page = page_text(client.get(url("results", programme, hidden.pk)))
    assert "Hidden: fewer than 5 people answered." in page and "Secret words" not in page

    programme_setup_update(programme=programme, anonymity_threshold=3)
    page = page_text(client.get(url("results", programme, hidden.pk)))
    assert "Hidden: fewer than 5 people answered." in page
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in page
    assert "Secret words" not in page and "mean" not in page
    hidden.refresh_from_db()
    still_open.refresh_from_db()
    assert (hidden.closed_threshold, still_open.closed_threshold) == (5, None)
    assert survey_results(still_open).threshold == 3  # not closed yet: the new threshold applies


@pytest.mark.django_db
def test_raising_the_threshold_hides_more_of_a_closed_survey(client, programme, people):
    survey = open_survey(programme)
    for user in cohort(programme, 6):
        send(survey, user, value=4, text="Shared words", quote=True)
    close(survey)
    client.force_login(people["executive"])
    page = page_text(client.get(url("results", programme, survey.pk)))
    assert "mean 4.0" in page and "Shared words" in page
    programme_setup_update(programme=programme, anonymity_threshold=7)
    page = page_text(client.get(url("results", programme, survey.pk)))
    assert "Hidden: fewer than 7 people answered." in page
    assert "Nothing is quoted. Fewer than 7 people wrote an answer." in page
    assert "Shared words" not in page
    programme_setup_update(programme=programme, anonymity_threshold=3)
    survey.refresh_from_db()
    assert survey.closed_threshold == 5  # the one it closed with, not the 7 it was shown under
    assert "mean 4.0" in page_text(client.get(url("results", programme, survey.pk)))


@pytest.mark.django_db
def test_the_respond_page_states_the_surveys_threshold(client, programme):
    survey = open_survey(programme)
    programme_setup_update(programme=programme, anonymity_threshold=7)
    client.force_login(cohort(programme, 1)[0])
    page = page_text(client.get(url("respond", programme, survey.pk)))
    assert "only as totals of at least 7 people" in page
    assert "it is quoted only if at least 7 people wrote an answer" in page


@pytest.mark.django_db
def test_the_report_keeps_the_threshold_each_survey_closed_with(programme):
    people = cohort(programme, 4)
    themes = {person.email: ("Shift patterns", True) for person in people}
    text = report_text(programme, people, themes, threshold=3)
    assert "n=4" not in text and "Shift patterns" not in text
    assert "none comes from fewer than 5 people" in text
    assert "keeps the threshold it closed with, so lowering it reveals nothing more" in text
    assert "Programme evaluation survey (5 people)" in text
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in text
