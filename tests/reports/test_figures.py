"""The evaluation report quotes only what its authors allowed, from enough people, under
the threshold each survey closed with."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from programmes.models import SuccessMeasure
from programmes.services import programme_setup_update
from reports.evaluation import evaluation_html, figures
from reports.pdf import html_to_pdf
from surveys.models import Category, Survey, SurveyKind
from surveys.services import hard_measure_save, response_save

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


# --- The paired change and the hard measures ----------------------------------------------------

T_975_4_DEGREES_OF_FREEDOM = 2.776445  # Student's t, two-sided 95%, from the printed tables


def answer_each(survey, values: dict) -> None:
    """Each person answers every agree question with their value (twice it on 0-10)."""
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - timedelta(days=2), closes_on=today + timedelta(days=1)
    )
    survey.refresh_from_db()
    questions = list(survey.questions.all())
    for person, value in values.items():
        answers = {
            q.pk: value if q.kind == "agree" else 2 * value if q.kind == "scale10" else "x"
            for q in questions
        }
        response_save(survey=survey, respondent=person, answers=answers, submit=True)
    close_survey(survey)


def belonging_row(programme):
    found = figures.standard_surveys(programme)
    chapter = figures.results_chapter(found.evaluation, found.baseline, (Category.ORGANISATIONAL,))
    return next(q for q in chapter.parts[0].questions if q.text.startswith("I feel I belong"))


@pytest.mark.django_db
def test_the_report_shows_the_paired_change_with_how_many_and_its_interval(programme):
    people = alternating_participants(programme, 5)
    before, after = (2, 3, 3, 4, 2), (3, 5, 3, 5, 4)  # differences 1, 2, 0, 1, 2
    answer_each(
        Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE),
        dict(zip(people, before, strict=True)),
    )
    answer_each(
        Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION),
        dict(zip(people, after, strict=True)),
    )
    half_width = T_975_4_DEGREES_OF_FREEDOM * (0.7 / 5) ** 0.5  # the differences' variance is 0.7
    low, high = round(1.2 - half_width, 1), round(1.2 + half_width, 1)
    assert (low, high) == (0.2, 2.2)
    row = belonging_row(programme)
    assert row.change.text == "+1.2"
    assert row.paired == figures.Cell("+1.2", "up", "n=5 · +0.2 to +2.2")
    text = pdf_text(html_to_pdf(evaluation_html(programme)).content)
    assert "PAIRED CHANGE" in text and "n=5 · +0.2 to +2.2" in text  # headings print in capitals
    assert "each person's evaluation answer minus their own baseline answer" in text


@pytest.mark.django_db
def test_the_paired_change_is_hidden_when_one_more_answered_only_the_baseline(programme):
    """Beside the baseline's mean of six and the evaluation's of five, a paired change of the
    five would give away the sixth person's baseline answer."""
    people = alternating_participants(programme, 6)
    answer_each(
        Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE), dict.fromkeys(people, 2)
    )
    answer_each(
        Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION),
        dict.fromkeys(people[:5], 4),
    )
    row = belonging_row(programme)
    assert row.change.text == "+2.0"
    assert row.paired == figures.Cell("hidden", "hidden", "see method")


@pytest.mark.django_db
def test_the_organisational_chapter_holds_the_hard_measures_before_and_after(programme):
    text = pdf_text(html_to_pdf(evaluation_html(programme)).content)
    assert "No hard measures have been recorded yet." in text
    retention = SuccessMeasure.objects.get(programme=programme, text="Retention of diverse talent")
    hard_measure_save(
        programme=programme,
        values={
            "name": "Women in senior-manager roles",
            "group": "organisation",
            "unit": "percent",
            "before_value": Decimal("22"),
            "before_on": date(2026, 1, 31),
            "source": "HR system, headcount by grade and gender",
        },
    )
    hard_measure_save(
        programme=programme,
        values={
            "name": "Retention of ethnic-minority staff at grades 1-5",
            "success_measure": retention,
            "group": "target",
            "group_detail": "Ethnic-minority colleagues at grades 1-5",
            "unit": "percent",
            "before_value": Decimal("82.5"),
            "before_on": date(2026, 1, 31),
            "after_value": Decimal("91"),
            "after_on": date(2026, 7, 31),
            "source": "HR system, leavers report",
        },
    )
    found = figures.hard_measures(programme)
    assert [row.name for row in found.rows] == [  # the purpose's success measures first
        "Retention of ethnic-minority staff at grades 1-5",
        "Women in senior-manager roles",
    ]
    text = pdf_text(html_to_pdf(evaluation_html(programme)).content)
    assert (
        "2 hard measures are recorded, with the figures before the programme; 1 has a later one "
        "so far." in text
    )
    assert "82.5% 31 Jan 2026 91% 31 Jul 2026 +8.5 percentage points" in text
    assert "shows “Retention of diverse talent”" in text and "not known yet" in text
    assert "Source: HR system, leavers report" in text
