"""The evaluation report quotes only what its authors allowed, from enough people, under
the threshold each survey closed with."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from programmes.services import programme_setup_update
from reports.evaluation import evaluation_html
from reports.pdf import html_to_pdf
from surveys.models import Survey, SurveyKind
from surveys.services import response_save

from ..factories import alternating_participants, close_survey


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
    close_survey(survey)


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
    people = alternating_participants(programme, 8)
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
    assert "Themes in the initial survey" in text
    assert "6 people wrote a theme; 3 of them allowed quoting." in text
    assert "Promotion panels 2 people" in text
    assert "Flexible working" in text and "Flexible working 1" not in text
    assert "3 people" not in text  # the refused "Promotion panels" is not counted
    assert "My director" not in text and "night shift" not in text
    assert "6 people wrote an answer; 3 of them allowed quoting." in text  # evaluation free text
    assert "only when at least 5 people wrote an answer" in text


@pytest.mark.django_db
def test_the_report_says_why_nothing_is_quoted(programme):
    people = alternating_participants(programme, 8)
    text = report_text(programme, people, {p.email: ("Work on the rota", False) for p in people})
    assert "8 people wrote a theme; 0 of them allowed quoting." in text
    assert "Nothing is quoted. Nobody allowed their answer to be quoted." in text
    assert "Work on the rota" not in text


@pytest.mark.django_db
def test_the_report_keeps_the_threshold_each_survey_closed_with(programme):
    people = alternating_participants(programme, 4)
    themes = {person.email: ("Shift patterns", True) for person in people}
    text = report_text(programme, people, themes, threshold=3)
    assert "n=4" not in text and "Shift patterns" not in text
    assert "none comes from fewer than 5 people" in text
    assert "keeps the threshold it closed with, so lowering it reveals nothing more" in text
    assert "Programme evaluation survey (5 people)" in text
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in text
