"""Reads for surveys. Results are aggregates only, hidden below the programme's threshold."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from organisations.models import User
from organisations.roles import Role
from programmes.models import Programme, ProgrammeMember

from . import charts
from .anonymity import (
    ScaleSummary,
    change,
    choice_summary,
    effective_threshold,
    free_text_visible,
    scale_summary,
    total_visible,
    visible_groups,
)
from .models import Answer, Question, QuestionKind, Response, Survey, SurveyKind

SIDES = ("senior", "junior")


def surveys_of(programme: Programme) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(programme=programme)
        .annotate(submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .order_by("opens_on", "pk")
    )


def survey_audience(survey: Survey) -> QuerySet[ProgrammeMember]:
    """The programme roles a survey is for: the steering group, or participants of its side(s)."""
    members = ProgrammeMember.objects.filter(programme=survey.programme_id)
    if survey.audience == "steering":
        return members.filter(role=Role.STEERING)
    members = members.filter(role=Role.PARTICIPANT)
    if survey.audience in SIDES:
        members = members.filter(side=survey.audience)
    return members


def expected_respondents(survey: Survey) -> int:
    return survey_audience(survey).count()


def surveys_for(programme: Programme, user: User) -> list[Survey]:
    """The surveys meant for this person, each marked with their own response, if any."""
    roles = dict(
        ProgrammeMember.objects.filter(programme=programme, user=user).values_list("role", "side")
    )
    audiences = set()
    if Role.STEERING in roles:
        audiences.add("steering")
    if Role.PARTICIPANT in roles:
        audiences |= {"everyone", roles[Role.PARTICIPANT]}
    surveys = list(Survey.objects.filter(programme=programme, audience__in=audiences))
    mine = {r.survey_id: r for r in Response.objects.filter(survey__in=surveys, respondent=user)}
    for survey in surveys:
        survey.my_response = mine.get(survey.pk)
    return surveys


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    visible: bool
    overall: ScaleSummary | dict[str, int] | list[str] | None = None
    by_side: dict[str, ScaleSummary | dict[str, int] | None] = field(default_factory=dict)
    change: float | None = None
    change_by_side: dict[str, float | None] = field(default_factory=dict)
    chart: str = ""

    @property
    def is_scale(self) -> bool:
        return isinstance(self.overall, ScaleSummary)


@dataclass
class SurveyResults:
    survey: Survey
    threshold: int
    submitted: int
    expected: int
    questions: list[QuestionResult]

    @property
    def completion(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def _answers_by_question(survey: Survey) -> dict[int, list[tuple[str, object]]]:
    rows = Answer.objects.filter(
        response__survey=survey, response__submitted_at__isnull=False
    ).values_list("question_id", "response__side", "value")
    grouped: dict[int, list[tuple[str, object]]] = defaultdict(list)
    for question_id, side, value in rows:
        grouped[question_id].append((side, value))
    return grouped


def _summary(question: Question, values: list[object], threshold: int):
    if question.kind in (QuestionKind.AGREE, QuestionKind.SCALE10):
        return scale_summary([int(v) for v in values], threshold)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return choice_summary(values, question.choices, threshold)
    if free_text_visible(len(values), threshold):
        return sorted(str(v) for v in values)  # sorted, so the order says nothing of who wrote
    return None


def _chart(question: Question, overall) -> str:
    if overall is None:
        return ""
    if isinstance(overall, ScaleSummary):
        scale = range(1, 6) if question.kind == QuestionKind.AGREE else range(0, 11)
        return charts.distribution_chart(overall.distribution, scale=scale, title=question.text)
    if isinstance(overall, dict):
        return charts.bar_chart(
            list(overall.items()), maximum=max(max(overall.values()), 1), title=question.text
        )
    return ""


def survey_results(survey: Survey) -> SurveyResults:
    """Per question: the whole and each side, each only when enough answered, and never two
    figures that reveal a hidden group by subtraction; the change since the baseline."""
    threshold = effective_threshold(survey.programme.anonymity_threshold)
    answers = _answers_by_question(survey)
    baseline = _baseline_for(survey)
    results = []
    for question in Question.objects.filter(survey=survey):
        given = answers.get(question.pk, [])
        result = _question_result(question, given, threshold)
        if baseline and question.key in baseline and isinstance(result.overall, ScaleSummary):
            before = baseline[question.key]
            result.change = change(before.overall, result.overall)
            result.change_by_side = {
                side: change(before.by_side.get(side), result.by_side.get(side)) for side in SIDES
            }
        results.append(result)
    submitted = Response.objects.filter(survey=survey, submitted_at__isnull=False).count()
    return SurveyResults(survey, threshold, submitted, expected_respondents(survey), results)


def _question_result(
    question: Question, given: list[tuple[str, object]], threshold: int
) -> QuestionResult:
    result = QuestionResult(question, len(given), total_visible(len(given), threshold))
    if not result.visible:
        return result
    result.overall = _summary(question, [v for _, v in given], threshold)
    result.chart = _chart(question, result.overall)
    if question.kind == QuestionKind.TEXT:
        return result  # free text is shown only as a whole
    counts = {side: sum(1 for s, _ in given if s == side) for side in SIDES}
    shown = visible_groups(counts, threshold, total_shown=True)
    for side in SIDES:
        values = [v for s, v in given if s == side]
        result.by_side[side] = _summary(question, values, threshold) if side in shown else None
    return result


def _baseline_for(survey: Survey) -> dict[str, QuestionResult] | None:
    if survey.kind != SurveyKind.EVALUATION:
        return None
    baseline = Survey.objects.filter(
        programme=survey.programme_id, kind=SurveyKind.BASELINE
    ).first()
    if baseline is None:
        return None
    threshold = effective_threshold(survey.programme.anonymity_threshold)
    answers = _answers_by_question(baseline)
    return {
        q.key: _question_result(q, answers.get(q.pk, []), threshold)
        for q in Question.objects.filter(survey=baseline).exclude(key="")
    }


def submitted_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False).count()
