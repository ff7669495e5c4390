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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Exact

from organisations.models import User
from organisations.querysets import counted
from organisations.roles import Role
from programmes.models import Programme, ProgrammeMember

from . import charts, counts
from .anonymity import (
    FreeTextSummary,
    PairedChange,
    ScaleSummary,
    change,
    choice_summary_of,
    effective_threshold,
    free_text_summary_of,
    paired_change_of,
    scale_summary_of,
    total_visible,
    visible_groups,
)
from .models import (
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
    """The programme's surveys, each with how many submitted it (`submitted`)."""
    submitted = Response.objects.filter(survey=OuterRef("pk"), submitted_at__isnull=False)
    return (
        Survey.objects.filter(programme=programme)
        .annotate(submitted=counted(submitted, by="survey"))
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


@dataclass(frozen=True)
class SurveyCompletion:
    """A survey of the programme (with `submitted` counted) and how many it is for
    (`counts.not_yet_sent`)."""

    survey: Survey
    expected: int


def surveys_with_completion(
    programme: Programme, surveys: QuerySet[Survey] | None = None
) -> list[SurveyCompletion]:
    """Each survey (all the programme's by default) with how many it is for, in one query
    however many surveys: those who sent it, and those of its audience who have not (the
    steering group, every participant, or those of one side: the rule of `survey_audience`, as
    one subquery on each survey's audience)."""
    surveys = surveys_of(programme) if surveys is None else surveys
    audience = OuterRef("audience")
    steering = Q(Exact(audience, Value("steering")))
    participants = Q(role=Role.PARTICIPANT) & (
        Q(Exact(audience, Value("everyone"))) | Q(side=audience)
    )
    members = ProgrammeMember.objects.filter(programme=OuterRef("programme")).filter(
        (steering & Q(role=Role.STEERING)) | (~steering & participants)
    )
    waiting = counts.not_yet_sent(members, OuterRef(OuterRef("pk")))
    return [
        SurveyCompletion(survey, survey.submitted + survey.not_sent)
        for survey in surveys.annotate(not_sent=counted(waiting, by="programme"))
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


def _summary(question: Question, given: list[tuple[object, int]], threshold: int):
    if question.kind in counts.SCALES:
        distribution: Counter[int] = Counter()
        for value, n in given:
            distribution[int(value)] += n
        return scale_summary_of(distribution, threshold)
    return choice_summary_of(given, question.choices, threshold)


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


def _questions(survey: Survey) -> tuple[list[Question], list[Question]]:
    """The survey's questions, and for an evaluation survey the keyed questions of its
    baseline (`baseline_of`), in one query."""
    asked = Q(survey=survey)
    if survey.kind == SurveyKind.EVALUATION:
        asked |= Q(survey=Subquery(_baselines(survey).values("pk")[:1])) & ~Q(key="")
    questions = list(Question.objects.filter(asked).select_related("survey"))
    own = [q for q in questions if q.survey_id == survey.pk]
    for question in own:
        question.survey = survey
    return own, [q for q in questions if q.survey_id != survey.pk]


def survey_results(survey: Survey, *, interval: bool = False) -> SurveyResults:
    """Per question: the whole and each side, each only when enough answered, and never two
    figures that reveal a hidden group by subtraction; the change since the baseline, for
    everyone who answered each and for those who answered both (with its 95% interval when
    `interval`: the report asks for it). The database counts the answers (`counts`), so the
    work does not grow with the number of respondents."""
    threshold = survey_threshold(survey)
    questions, baseline_questions = _questions(survey)
    baseline = baseline_questions[0].survey if baseline_questions else None
    done = counts.completion(survey, baseline, survey_audience(survey))
    answers = counts.answer_counts(survey, baseline, done)
    texts = counts.quotable_texts([q for q in questions if q.kind == QuestionKind.TEXT])
    results = [
        _question_result(q, answers.of(q), threshold, texts.get(q.pk, [])) for q in questions
    ]
    if baseline is not None:
        baseline.programme = survey.programme  # saves a query for the threshold
        _compare(survey, results, baseline_questions, answers, interval=interval)
    return SurveyResults(survey, threshold, done.submitted, done.expected, results)


def free_text_result(question: Question) -> FreeTextSummary:
    """What the results show of one free-text question, each quotable answer included."""
    survey = question.survey
    done = counts.completion(survey, None, survey_audience(survey))
    written = counts.answer_counts(survey, None, done).of(question).written
    quotable = counts.quotable_texts([question]).get(question.pk, [])
    return free_text_summary_of(written, [(t, 1) for t in quotable], survey_threshold(survey))


def _compare(
    survey: Survey,
    results: list[QuestionResult],
    baseline_questions: list[Question],
    answers: counts.AnswerCounts,
    *,
    interval: bool,
) -> None:
    """The change since the baseline of each scale question with a partner there: of the
    means, and of those who answered both (`anonymity.paired_change_of`)."""
    threshold = survey_threshold(baseline_questions[0].survey)
    partners = {q.key: q for q in baseline_questions if q.kind in counts.SCALES}
    for result in results:
        partner = partners.get(result.question.key)
        if partner is None or not result.is_scale:
            continue
        before = _question_result(partner, answers.of(partner), threshold, chart=False)
        result.change = change(before.overall, result.overall)
        result.change_by_side = {
            side: change(before.by_side.get(side), result.by_side.get(side)) for side in SIDES
        }
        paired = answers.differences.get(result.question.pk, Counter())
        both = sum(paired.values())
        result.paired = paired_change_of(
            paired,
            before.respondents + result.respondents - 2 * both,
            max(survey_threshold(survey), threshold),
            interval=interval,
        )


def _question_result(
    question: Question,
    counted: counts.Counted,
    threshold: int,
    quotable: Sequence[str] = (),
    *,
    chart: bool = True,
) -> QuestionResult:
    if question.kind == QuestionKind.TEXT:
        # Only counts, and the answers their authors allowed to be quoted; never by side.
        summary = free_text_summary_of(counted.written, [(t, 1) for t in quotable], threshold)
        return QuestionResult(question, summary.written, visible=True, overall=summary)
    result = QuestionResult(question, counted.total, total_visible(counted.total, threshold))
    if not result.visible:
        return result
    result.overall = _summary(question, counted.of_side(), threshold)
    result.chart = _chart(question, result.overall) if chart else ""
    sizes = {side: sum(n for _, n in counted.of_side(side)) for side in SIDES}
    shown = visible_groups(sizes, threshold, total_shown=True)
    for side in SIDES:
        given = counted.of_side(side)
        result.by_side[side] = _summary(question, given, threshold) if side in shown else None
    return result


def _baselines(survey: Survey) -> QuerySet[Survey]:
    return Survey.objects.filter(programme=survey.programme_id, kind=SurveyKind.BASELINE)


def baseline_of(survey: Survey) -> Survey | None:
    """The baseline an evaluation survey's change is measured from: the programme's first."""
    if survey.kind != SurveyKind.EVALUATION:
        return None
    return _baselines(survey).first()


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


def submitted_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False).count()


def hard_measures_of(programme: Programme, *, group: str = "") -> QuerySet[HardMeasure]:
    """The programme's hard measures, by name; of one group (`MeasureGroup`) if given."""
    measures = HardMeasure.objects.filter(programme=programme).select_related("success_measure")
    if group in MeasureGroup.values:
        measures = measures.filter(group=group)
    return measures.order_by("name", "pk")
