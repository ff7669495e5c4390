"""Writes for surveys: building them, the standard ones, and responses."""

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from organisations.models import User
from programmes.models import Programme, Stage

from .models import (
    CLOSES_BEFORE_OPENING,
    Answer,
    HardMeasure,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
)
from .selectors import survey_audience
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


def question_save(
    *, survey: Survey, values: Mapping[str, object], question: Question | None = None
) -> Question:
    _not_answered_yet(survey)
    question = question or Question(
        survey=survey, position=Question.objects.filter(survey=survey).count()
    )
    for field, value in values.items():
        setattr(question, field, value)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(question.choices) < 2:
        raise SurveyError("A choice question needs at least two choices.")
    question.save()
    return question


def question_delete(*, question: Question) -> None:
    _not_answered_yet(question.survey)
    question.delete()


def _not_answered_yet(survey: Survey) -> None:
    if Response.objects.filter(survey=survey, submitted_at__isnull=False).exists():
        raise SurveyError("People have answered this survey; its questions can no longer change.")


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
    return value is None or value == "" or value == []


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
