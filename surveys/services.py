"""Writes for surveys: building them, the standard ones, and responses."""

from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Literal

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from organisations.models import User
from programmes.models import Programme, Stage

from .models import (
    CLOSES_BEFORE_OPENING,
    TWO_CHOICES,
    WRITE_THE_QUESTION,
    Answer,
    HardMeasure,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
)
from .selectors import paired_questions, questions_locked_because, survey_audience
from .standard import STANDARD_SURVEYS


class SurveyError(Exception):
    """A change the survey's rules do not allow; the message is for the user, and `field` names
    the form field it belongs beside, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MissingAnswers(SurveyError):
    def __init__(self, question_ids: list[int]) -> None:
        super().__init__("Answer every question marked * before sending; your draft is kept.")
        self.question_ids = question_ids


def _standard_dates(programme: Programme, kind: str) -> tuple[date, date]:
    stages = {s.number: s for s in Stage.objects.filter(programme=programme)}
    if kind == SurveyKind.BASELINE:
        return stages[4].planned_start, programme.relationships_start + timedelta(weeks=1)
    stage = stages[7 if kind == SurveyKind.INITIAL else 10]
    return stage.planned_start, stage.planned_end


@transaction.atomic
def surveys_standard_create(*, programme: Programme) -> list[Survey]:
    """The baseline, initial (stage 7) and evaluation (stage 10) surveys; editable afterwards.
    Kinds the programme already has are left alone."""
    existing = set(Survey.objects.filter(programme=programme).values_list("kind", flat=True))
    created = []
    for kind, (title, items) in STANDARD_SURVEYS.items():
        if kind in existing:
            continue
        opens_on, closes_on = _standard_dates(programme, kind)
        survey = Survey.objects.create(
            programme=programme,
            title=title,
            kind=kind,
            opens_on=opens_on,
            closes_on=closes_on,
        )
        Question.objects.bulk_create(
            Question(
                survey=survey,
                position=position,
                key=key,
                category=category,
                kind=kind,
                text=text,
                choices=choices,
                required=kind != QuestionKind.TEXT,
            )
            for position, (key, category, kind, text, choices) in enumerate(items)
        )
        created.append(survey)
    return created


@transaction.atomic
def survey_save(
    *, programme: Programme, values: Mapping[str, object], survey: Survey | None = None
) -> Survey:
    if survey is not None:
        survey = Survey.objects.select_for_update().get(pk=survey.pk)  # serialises the checks
        _check_changes(survey, values)
    survey = survey or Survey(programme=programme)
    for field, value in values.items():
        setattr(survey, field, value)
    if survey.closes_on < survey.opens_on:
        raise SurveyError(CLOSES_BEFORE_OPENING, field="closes_on")
    survey.save()
    return survey


def _check_changes(survey: Survey, values: Mapping[str, object]) -> None:
    """A closed survey never reopens, and one with answers never closes earlier: either would let
    someone compare results before and after one more answer and read that answer."""
    changed = {
        f for f in ("kind", "audience", "opens_on", "closes_on") if _changes(survey, values, f)
    }
    if not changed:
        return
    if survey.has_closed() and changed & {"opens_on", "closes_on"}:
        raise SurveyError(
            "This survey has closed; it cannot reopen. Create a new survey instead.",
            field="closes_on" if "closes_on" in changed else "opens_on",
        )
    responses = Response.objects.filter(survey=survey)
    if changed & {"kind", "audience"} and responses.exists():
        raise SurveyError("People have started answering: who it is for and its kind stay.")
    first = responses.aggregate(first=Min("submitted_at"))["first"]
    if first is None:
        return
    if "closes_on" in changed and values["closes_on"] < survey.closes_on:
        raise SurveyError(
            "People have answered this survey: its closing date can only move later.",
            field="closes_on",
        )
    first_day = timezone.localdate(first, timezone=survey.programme.organisation.zone)
    if "opens_on" in changed and values["opens_on"] > first_day:
        raise SurveyError(
            f"The first answer came on {first_day:%-d %B %Y}: the survey cannot open later.",
            field="opens_on",
        )


def _changes(survey: Survey, values: Mapping[str, object], field: str) -> bool:
    return field in values and values[field] != getattr(survey, field)


def surveys_threshold_freeze(*, programme: Programme, old_threshold: int) -> int:
    """Before the programme's anonymity threshold changes: every survey that has closed keeps
    `old_threshold`, the one it closed with, so lowering the programme's never reveals more of it.
    A survey that already keeps one is left alone. Returns how many surveys were stamped."""
    today = timezone.localdate(timezone=programme.organisation.zone)
    return Survey.objects.filter(
        programme=programme, closes_on__lt=today, closed_threshold__isnull=True
    ).update(closed_threshold=old_threshold)


MAX_QUESTIONS = 100
# Above any position a survey's questions can hold: renumbering moves them here first.
_CLEAR_OF_POSITIONS = 1000
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class QuestionsLocked(SurveyError):
    """The survey has opened, or people have begun it: its questions stay as they are."""


def _questions_may_change(survey: Survey) -> None:
    """Lock the survey's row, so two changes to its questions take turns, and refuse once the
    questions can no longer change (`selectors.questions_locked_because`)."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    locked.programme = survey.programme
    reason = questions_locked_because(locked)
    if reason:
        raise QuestionsLocked(reason)


@transaction.atomic
def question_save(
    *, survey: Survey, values: Mapping[str, object], question: Question | None = None
) -> Question:
    """Add a question at the end, or change one, before the survey opens. A question paired
    with the partner survey's (`selectors.paired_questions`) keeps its key and is asked the
    same way as there, so the change between the two still compares like with like; its
    wording may change."""
    _questions_may_change(survey)
    if question is None:
        count = Question.objects.filter(survey=survey).count()
        if count >= MAX_QUESTIONS:
            raise SurveyError(f"A survey holds at most {MAX_QUESTIONS} questions.")
        stored, key_before = Question(survey=survey, position=count), None
    else:
        stored = Question.objects.get(survey=survey, pk=question.pk)
        key_before = stored.key
    for field, value in values.items():
        setattr(stored, field, value)
    stored.text = stored.text.strip()
    if not stored.text:
        raise SurveyError(WRITE_THE_QUESTION, field="text")
    if stored.kind not in CHOICE_KINDS:
        stored.choices = []
    elif len(stored.choices) < 2:
        raise SurveyError(TWO_CHOICES, field="choices_text")
    _check_pairing(survey, stored, key_before)
    stored.save()
    return stored


def _check_pairing(survey: Survey, question: Question, key_before: str | None) -> None:
    if (
        question.key
        and Question.objects.filter(survey=survey, key=question.key)
        .exclude(pk=question.pk)
        .exists()
    ):
        raise SurveyError(
            f"Another question of this survey has the key “{question.key}”: each key is used "
            "once in a survey.",
            field="key",
        )
    paired = paired_questions(survey)
    if key_before in paired and question.key != key_before:
        raise SurveyError(
            f"“{paired[key_before].survey}” asks this question too, and the change between "
            f"the two surveys is measured by its key “{key_before}”, so the key stays. Reword "
            "the question freely; to ask something else, add a new question.",
            field="key",
        )
    partner = paired.get(question.key)
    if partner is not None and partner.kind != question.kind:
        raise SurveyError(
            f"“{partner.survey}” asks “{partner.key}” as {partner.get_kind_display()}: ask it "
            "the same way here so the change between the two can be measured, or give this "
            "question another key.",
            field="kind",
        )


@transaction.atomic
def question_delete(*, question: Question) -> None:
    survey = question.survey
    _questions_may_change(survey)
    question.delete()
    _number(survey, list(Question.objects.filter(survey=survey).values_list("pk", flat=True)))


@transaction.atomic
def question_move(*, question: Question, direction: Literal["up", "down"]) -> int:
    """Swap a question with the one before or after it; returns its new position (0-based)."""
    survey = question.survey
    _questions_may_change(survey)
    order = list(Question.objects.filter(survey=survey).values_list("pk", flat=True))
    at = order.index(question.pk)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        raise SurveyError(f"It is already the {'first' if direction == 'up' else 'last'} question.")
    order[at], order[to] = order[to], order[at]
    _number(survey, order)
    return to


def _number(survey: Survey, order: list[int]) -> None:
    """Number the survey's questions 0, 1, 2... in `order`. Every one first moves clear of
    those numbers, so no two ever share a position: PostgreSQL checks the unique constraint
    row by row, not at the end of the statement."""
    Question.objects.filter(survey=survey).update(position=F("position") + _CLEAR_OF_POSITIONS)
    Question.objects.bulk_update(
        [Question(pk=pk, position=position) for position, pk in enumerate(order)], ["position"]
    )


def is_for(survey: Survey, user: User) -> bool:
    return _side_of(survey, user) is not None


def _side_of(survey: Survey, user: User) -> str | None:
    """The person's side as the survey records it ("" for the steering group); None when the
    survey is not for them."""
    return survey_audience(survey).filter(user=user).values_list("side", flat=True).first()


@transaction.atomic
def response_save(
    *,
    survey: Survey,
    respondent: User,
    answers: Mapping[int, object],
    submit: bool,
    quotable: Collection[int] = (),
) -> Response:
    """Save a draft, or submit. Nothing is accepted once the survey has closed, so a draft left
    when it closes stays a draft and never counts. `quotable` holds the free-text questions
    whose answer the respondent allows to be quoted anonymously; any other answer never is."""
    today = survey.today()
    if not survey.is_open(today):
        raise SurveyError("This survey is closed." if today > survey.closes_on else "Not open yet.")
    side = _side_of(survey, respondent)
    if side is None:
        raise SurveyError("This survey is not for you.")
    response, _ = Response.objects.select_for_update().get_or_create(
        survey=survey, respondent=respondent, defaults={"side": side}
    )
    if response.submitted_at:
        raise SurveyError("You have already sent your answers.")
    questions = {q.pk: q for q in Question.objects.filter(survey=survey)}
    if submit:
        missing = [q.pk for q in questions.values() if q.required and _blank(answers.get(q.pk))]
        if missing:
            raise MissingAnswers(missing)
    Answer.objects.filter(response=response).delete()
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question_id=question_id,
            value=value,
            may_quote=question_id in quotable and questions[question_id].kind == QuestionKind.TEXT,
        )
        for question_id, value in answers.items()
        if question_id in questions and not _blank(value)
    )
    if submit:
        response.submitted_at = timezone.now()
        response.side = side
        response.save(update_fields=["submitted_at", "side", "updated_at"])
    return response


def _blank(value: object) -> bool:
    """Nothing said: such an answer is never stored, so the results can count what is."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


# --- The organisation's hard measures --------------------------------------------------------


def hard_measure_save(
    *, programme: Programme, values: Mapping[str, object], measure: HardMeasure | None = None
) -> HardMeasure:
    """Record a hard measure or change one; the model's rules hold whoever calls (a
    ValidationError names the field)."""
    measure = measure or HardMeasure(programme=programme)
    for field, value in values.items():
        setattr(measure, field, value)
    if measure.success_measure is not None and measure.success_measure.programme_id != programme.pk:
        raise ValueError("A success measure of another programme.")
    measure.full_clean(exclude={"programme"})
    measure.save()
    return measure


def hard_measure_delete(*, measure: HardMeasure) -> None:
    measure.delete()
