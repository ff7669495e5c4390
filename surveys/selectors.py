"""Reads for surveys. Results are aggregates only, hidden below the survey's threshold.

Who sees what of surveys (the rows of the architecture guide's role table):

| data | org admin | coordinator | steering member | participant | supervisor | executive |
| --- | --- | --- | --- | --- | --- | --- |
| survey responses | - | completion % and aggregates | - | own | - | aggregates |
| evaluation report | yes | yes | - | - | - | yes |

- Aggregates show only once a survey has closed. None stands for fewer respondents than the
  survey's threshold, nor lets a hidden group be worked out by subtraction.
- Free text is never shown word for word to anyone but its author: not on the results page, not
  in the evaluation report, nowhere else. Of a free-text question, results show how many wrote
  an answer and how many allowed it to be quoted; an answer is quoted only when its author
  allowed that answer to be quoted anonymously, and then only when at least the threshold of
  respondents wrote an answer to the question (`anonymity.free_text_summary`), as a whole, never
  by side, sorted. The report's themes table follows the same rule.
- "Own": the respondent (a participant, or a steering member answering a steering-group survey)
  sees their own answers and quoting choices.
- A closed survey never reopens, and keeps the threshold it closed with (`survey_threshold`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from organisations.models import User
from organisations.roles import Role
from programmes.models import Programme, ProgrammeMember

from . import charts
from .anonymity import (
    FreeTextSummary,
    PairedChange,
    ScaleSummary,
    change,
    choice_summary,
    effective_threshold,
    free_text_summary,
    paired_change,
    scale_summary,
    total_visible,
    visible_groups,
)
from .models import (
    Answer,
    HardMeasure,
    MeasureGroup,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
)

SIDES = ("senior", "junior")


def surveys_of(programme: Programme) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(programme=programme)
        .annotate(submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .order_by("opens_on", "pk")
    )


def audiences_of(roles: Iterable[str], side: str) -> set[str]:
    """The survey audiences a person with these programme roles (and side) belongs to."""
    audiences = set()
    if Role.STEERING in roles:
        audiences.add("steering")
    if Role.PARTICIPANT in roles:
        audiences |= {"everyone", side}
    return audiences


def open_surveys_unanswered(
    programme: Programme, user: User, audiences: set[str], today: date
) -> QuerySet[Survey]:
    """The open surveys meant for these audiences that the person has not submitted."""
    submitted = Response.objects.filter(
        survey=OuterRef("pk"), respondent=user, submitted_at__isnull=False
    )
    return (
        Survey.objects.filter(
            programme=programme, audience__in=audiences, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(Exists(submitted))
        .order_by("closes_on", "pk")
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


@dataclass(frozen=True)
class SurveyCompletion:
    """A survey of the programme (with `submitted` counted) and how many it is for."""

    survey: Survey
    expected: int


def _members_counted(**conditions: object) -> Coalesce:
    members = ProgrammeMember.objects.filter(programme=OuterRef("programme"), **conditions)
    counted = members.order_by().values("programme").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0))


def surveys_with_completion(
    programme: Programme, surveys: QuerySet[Survey] | None = None
) -> list[SurveyCompletion]:
    """Each survey (all the programme's by default) with how many it is for, in one query
    however many surveys: the steering group, every participant, or those of one side."""
    surveys = surveys_of(programme) if surveys is None else surveys
    expected = Case(
        When(audience="steering", then=_members_counted(role=Role.STEERING)),
        When(audience="everyone", then=_members_counted(role=Role.PARTICIPANT)),
        default=_members_counted(role=Role.PARTICIPANT, side=OuterRef("audience")),
    )
    return [
        SurveyCompletion(survey, survey.expected) for survey in surveys.annotate(expected=expected)
    ]


@dataclass(frozen=True)
class SurveyForMe:
    """A survey meant for the person, with their own response to it, if any."""

    survey: Survey
    response: Response | None


def surveys_for(programme: Programme, user: User) -> list[SurveyForMe]:
    """The surveys meant for this person, each with their own response, if any."""
    roles = dict(
        ProgrammeMember.objects.filter(programme=programme, user=user).values_list("role", "side")
    )
    audiences = audiences_of(roles.keys(), roles.get(Role.PARTICIPANT, ""))
    surveys = list(Survey.objects.filter(programme=programme, audience__in=audiences))
    mine = {r.survey_id: r for r in Response.objects.filter(survey__in=surveys, respondent=user)}
    return [SurveyForMe(survey, mine.get(survey.pk)) for survey in surveys]


def survey_threshold(survey: Survey) -> int:
    """The threshold a survey's results are shown with: the programme's, but never lower than
    the one the survey closed with, so lowering the programme's reveals nothing more of it."""
    return effective_threshold(
        max(survey.programme.anonymity_threshold, survey.closed_threshold or 0)
    )


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    visible: bool
    overall: ScaleSummary | dict[str, int] | FreeTextSummary | None = None
    by_side: dict[str, ScaleSummary | dict[str, int] | None] = field(default_factory=dict)
    change: float | None = None
    change_by_side: dict[str, float | None] = field(default_factory=dict)
    # For those who answered the same question in the baseline too; see `anonymity.paired_change`.
    paired: PairedChange | None = None
    chart: str = ""

    @property
    def is_scale(self) -> bool:
        return isinstance(self.overall, ScaleSummary)

    @property
    def is_text(self) -> bool:
        return isinstance(self.overall, FreeTextSummary)


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


@dataclass(frozen=True)
class Given:
    """One submitted answer, as the results read it."""

    side: str
    value: object
    may_quote: bool
    respondent: int | None  # None: the respondent's account was erased


def _answers_by_question(survey: Survey) -> dict[int, list[Given]]:
    rows = Answer.objects.filter(
        response__survey=survey, response__submitted_at__isnull=False
    ).values_list("question_id", "response__side", "value", "may_quote", "response__respondent_id")
    grouped: dict[int, list[Given]] = defaultdict(list)
    for question_id, side, value, may_quote, respondent in rows:
        grouped[question_id].append(Given(side, value, may_quote, respondent))
    return grouped


def _summary(question: Question, values: list[object], threshold: int):
    if question.kind in (QuestionKind.AGREE, QuestionKind.SCALE10):
        return scale_summary([int(v) for v in values], threshold)
    return choice_summary(values, question.choices, threshold)


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


def survey_results(survey: Survey, *, interval: bool = False) -> SurveyResults:
    """Per question: the whole and each side, each only when enough answered, and never two
    figures that reveal a hidden group by subtraction; the change since the baseline, for
    everyone who answered each and for those who answered both (with its 95% interval when
    `interval`: the report asks for it)."""
    threshold = survey_threshold(survey)
    answers = _answers_by_question(survey)
    baseline = _baseline_for(survey)
    results = []
    for question in Question.objects.filter(survey=survey):
        given = answers.get(question.pk, [])
        result = _question_result(question, given, threshold)
        if baseline and question.key in baseline.results and result.is_scale:
            before = baseline.results[question.key]
            result.change = change(before.overall, result.overall)
            result.change_by_side = {
                side: change(before.by_side.get(side), result.by_side.get(side)) for side in SIDES
            }
            result.paired = paired_change(
                _by_respondent(baseline.given.get(question.key, []), "baseline"),
                _by_respondent(given, "evaluation"),
                max(threshold, baseline.threshold),
                interval=interval,
            )
        results.append(result)
    submitted = Response.objects.filter(survey=survey, submitted_at__isnull=False).count()
    return SurveyResults(survey, threshold, submitted, expected_respondents(survey), results)


def _by_respondent(given: list[Given], survey: str) -> dict[object, int]:
    """Each respondent's answer. An answer left linked to nobody by an erasure pairs with no
    one (they would otherwise all be one person) yet still counts as answered."""
    return {
        g.respondent if g.respondent is not None else (survey, n): int(g.value)
        for n, g in enumerate(given)
    }


def _question_result(question: Question, given: list[Given], threshold: int) -> QuestionResult:
    if question.kind == QuestionKind.TEXT:
        # Only counts, and the answers their authors allowed to be quoted; never by side.
        summary = free_text_summary([(str(g.value), g.may_quote) for g in given], threshold)
        return QuestionResult(question, summary.written, visible=True, overall=summary)
    result = QuestionResult(question, len(given), total_visible(len(given), threshold))
    if not result.visible:
        return result
    result.overall = _summary(question, [g.value for g in given], threshold)
    result.chart = _chart(question, result.overall)
    counts = {side: sum(1 for g in given if g.side == side) for side in SIDES}
    shown = visible_groups(counts, threshold, total_shown=True)
    for side in SIDES:
        values = [g.value for g in given if g.side == side]
        result.by_side[side] = _summary(question, values, threshold) if side in shown else None
    return result


@dataclass(frozen=True)
class _Baseline:
    threshold: int
    results: dict[str, QuestionResult]  # by question key
    given: dict[str, list[Given]]


def baseline_of(survey: Survey) -> Survey | None:
    """The baseline an evaluation survey's change is measured from: the programme's first."""
    if survey.kind != SurveyKind.EVALUATION:
        return None
    return Survey.objects.filter(programme=survey.programme_id, kind=SurveyKind.BASELINE).first()


def paired_questions(survey: Survey) -> dict[str, Question]:
    """The questions this survey's answers are paired with, by key: for an evaluation survey
    its baseline's, for a baseline those of the programme's evaluation surveys (the first
    question of each key). The results' change and paired change match questions this way."""
    questions = Question.objects.exclude(key="")
    if survey.kind == SurveyKind.EVALUATION:
        baseline = baseline_of(survey)
        if baseline is None:
            return {}
        questions = questions.filter(survey=baseline)
    elif survey.kind == SurveyKind.BASELINE:
        questions = questions.filter(
            survey__programme=survey.programme_id, survey__kind=SurveyKind.EVALUATION
        )
    else:
        return {}
    questions = questions.select_related("survey").order_by(
        "survey__opens_on", "survey_id", "position"
    )
    paired: dict[str, Question] = {}
    for question in questions:
        paired.setdefault(question.key, question)
    return paired


def questions_locked_because(survey: Survey) -> str | None:
    """Why the survey's questions can no longer change, or None while they still can: before it
    opens, and while nobody has begun answering (a survey moved later keeps its drafts)."""
    today = survey.today()
    if survey.has_closed(today):
        return (
            "This survey has closed, so its questions can no longer change: the answers "
            "people gave would no longer match them."
        )
    if survey.is_open(today):
        return (
            f"This survey opened on {survey.opens_on:%-d %B %Y}, so its questions can no longer "
            "change: answers already given would no longer match them. To ask something else, "
            "create a new survey."
        )
    if Response.objects.filter(survey=survey).exists():
        return (
            "People have begun answering this survey, so its questions can no longer change: "
            "their answers would no longer match them."
        )
    return None


def _baseline_for(survey: Survey) -> _Baseline | None:
    baseline = baseline_of(survey)
    if baseline is None:
        return None
    baseline.programme = survey.programme  # saves a query for the threshold
    threshold = survey_threshold(baseline)
    answers = _answers_by_question(baseline)
    questions = list(Question.objects.filter(survey=baseline).exclude(key=""))
    return _Baseline(
        threshold,
        {q.key: _question_result(q, answers.get(q.pk, []), threshold) for q in questions},
        {q.key: answers.get(q.pk, []) for q in questions},
    )


def submitted_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False).count()


def hard_measures_of(programme: Programme, *, group: str = "") -> QuerySet[HardMeasure]:
    """The programme's hard measures, by name; of one group (`MeasureGroup`) if given."""
    measures = HardMeasure.objects.filter(programme=programme).select_related("success_measure")
    if group in MeasureGroup.values:
        measures = measures.filter(group=group)
    return measures.order_by("name", "pk")
