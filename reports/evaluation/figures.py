"""The evaluation report's figures: selectors that read what each section needs, and the small
frozen dataclasses they return.

Every survey figure comes from `survey_results`, so nothing from fewer respondents than the
survey's threshold is shown, nor anything that would reveal a hidden group by subtraction. Free
text is quoted only as `survey_results` allows (`anonymity.free_text_summary`): answers whose
authors allowed quoting, when at least the threshold wrote one. Each selector runs a fixed
number of queries, however many pairs, meetings and responses there are.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max
from django.utils import timezone

from pairs.models import Pair, PairStatus
from programmes.models import Programme, Stage, StageStatus, StageTask
from programmes.selectors import timeline_stages
from supervision.models import Outcome, Route, Urgency
from supervision.selectors import referral_counts
from surveys import charts
from surveys.anonymity import (
    FreeTextSummary,
    PairedChange,
    ScaleSummary,
    change,
    effective_threshold,
    group_aggregates,
    mean_to_one_decimal,
)
from surveys.models import Category, HardMeasure, QuestionKind, Survey, SurveyKind
from surveys.selectors import (
    SIDES,
    QuestionResult,
    SurveyResults,
    hard_measures_of,
    survey_results,
)

from . import sentences

OUTCOME_CATEGORIES = (
    Category.LEARNING,
    Category.CAREER,
    Category.ENABLING,
    Category.EMOTIONAL,
)
HEADLINE_CATEGORIES = (*OUTCOME_CATEGORIES, Category.RECIPROCAL, Category.ORGANISATIONAL)

CATEGORY_DESCRIPTIONS = {
    Category.LEARNING: "What participants know or see differently, and what they can now do.",
    Category.CAREER: "The progress participants have made in their careers.",
    Category.ENABLING: "A clearer sense of direction and a better development plan.",
    Category.EMOTIONAL: "Self-esteem, self-efficacy and confidence at work.",
    Category.RECIPROCAL: (
        "What participants learned about diversity, culture, power dynamics and how the "
        "organisation's political systems work, and how they applied it to their own "
        "behaviour and work."
    ),
    Category.ORGANISATIONAL: (
        "The two questions after promotion panels are answered on a 0-10 scale; the others "
        "on a 1-5 agreement scale."
    ),
}

# Short labels for the standard questions, so chart rows read whole ("Senior · Confidence").
SHORT_LABELS = {
    "learning_see": "Sees differently",
    "learning_do": "Can do more",
    "career_progress": "Career progress",
    "enabling_direction": "Clear direction",
    "enabling_plan": "Development plan",
    "emotional_confidence": "Confidence",
    "emotional_efficacy": "Can change things",
    "recip_diversity": "Diversity",
    "recip_culture": "Culture",
    "recip_power": "Power dynamics",
    "recip_politics": "Political systems",
    "recip_applied": "Applied learning",
    "org_belonging": "Belonging",
    "org_belong_room": "Belonged in room",
    "org_best_self": "At their best",
}
SHORT_LABEL_CHARACTERS = 17
SIDE_LABELS = {"senior": "Senior", "junior": "Junior"}
MEETING_BANDS = ((0, 0, "No meetings"), (1, 2, "1-2"), (3, 4, "3-4"), (5, 6, "5-6"))
STANDARD_KINDS = (SurveyKind.BASELINE, SurveyKind.INITIAL, SurveyKind.EVALUATION)
STARTED = (PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY)


# --- The standard surveys, read once and shared by the sections ----------------------------------


@dataclass(frozen=True)
class StandardSurveys:
    """The first survey of each standard kind, with its anonymised results once it has closed."""

    closed: dict[str, SurveyResults]  # by kind, in the order the surveys open
    programme_threshold: int  # the programme's own, as `effective_threshold` clamps it

    @property
    def baseline(self) -> SurveyResults | None:
        return self.closed.get(SurveyKind.BASELINE)

    @property
    def initial(self) -> SurveyResults | None:
        return self.closed.get(SurveyKind.INITIAL)

    @property
    def evaluation(self) -> SurveyResults | None:
        return self.closed.get(SurveyKind.EVALUATION)


def standard_surveys(programme: Programme) -> StandardSurveys:
    first: dict[str, Survey] = {}
    for survey in Survey.objects.filter(programme=programme, kind__in=STANDARD_KINDS).order_by(
        "opens_on", "pk"
    ):
        first.setdefault(survey.kind, survey)
    closed = {}
    for kind, survey in first.items():
        survey.programme = programme  # saves survey_results a query for the threshold
        # Only closed surveys: figures that move with each new answer would give that answer away.
        if survey.has_closed():
            # The worker renders the report, so it may compute the paired change's interval.
            closed[kind] = survey_results(survey, interval=True)
    return StandardSurveys(closed, effective_threshold(programme.anonymity_threshold))


@dataclass(frozen=True)
class Anonymity:
    """Each survey keeps the threshold it closed with, so they can differ: "none from fewer
    than" takes the lowest, "hidden: fewer than" the highest, and both statements stay true."""

    threshold: int
    hidden_below: int
    kept: tuple[tuple[str, int], ...]  # (survey, threshold) kept above the programme's own


def anonymity(surveys: StandardSurveys) -> Anonymity:
    thresholds = [r.threshold for r in surveys.closed.values()] or [surveys.programme_threshold]
    kept = tuple(
        (r.survey.title, r.threshold)
        for r in surveys.closed.values()
        if r.threshold > surveys.programme_threshold
    )
    return Anonymity(min(thresholds), max(thresholds), kept)


# --- Survey response rates -----------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRate:
    title: str
    dates: str
    submitted: int
    expected: int
    rate: int | None
    present: bool


def survey_rates(surveys: StandardSurveys) -> tuple[SurveyRate, ...]:
    """One row per standard kind, baseline to evaluation."""
    return tuple(_survey_rate(surveys.closed.get(kind), kind) for kind in STANDARD_KINDS)


def _survey_rate(results: SurveyResults | None, kind: str) -> SurveyRate:
    if results is None:
        return SurveyRate(SurveyKind(kind).label, "", 0, 0, None, False)
    survey = results.survey
    rate = results.completion if results.expected else None
    return SurveyRate(
        survey.title,
        sentences.survey_dates(survey.opens_on, survey.closes_on),
        results.submitted,
        results.expected,
        rate,
        present=True,
    )


# --- Pairs and meetings --------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusFigures:
    label: str
    pairs: int
    meetings: int
    mean: float | None


@dataclass(frozen=True)
class Participation:
    active: StatusFigures
    completed: StatusFigures
    ended_early: StatusFigures
    started: StatusFigures  # the three above together
    proposed: int  # not yet published, so not counted
    proposed_note: str
    bands: tuple[tuple[str, int], ...]  # started pairs by how many meetings they logged
    status_chart: str
    bands_chart: str

    @property
    def rows(self) -> tuple[StatusFigures, ...]:
        return (self.active, self.completed, self.ended_early)


def participation(programme: Programme) -> Participation:
    """Pair figures and meetings in one query: each pair's status and its number of meetings."""
    per_pair = list(
        Pair.objects.filter(programme=programme)
        .annotate(meeting_count=Count("meetings"))
        .values_list("status", "meeting_count")
    )

    def of(*statuses: str, label: str = "") -> StatusFigures:
        counts = [n for s, n in per_pair if s in statuses]
        mean = mean_to_one_decimal(counts) if counts else None
        return StatusFigures(label or PairStatus(statuses[0]).label, len(counts), sum(counts), mean)

    rows = tuple(of(status) for status in STARTED)
    started_counts = [n for s, n in per_pair if s in STARTED]
    last = MEETING_BANDS[-1][1]
    bands = (
        *(
            (label, sum(low <= n <= high for n in started_counts))
            for low, high, label in MEETING_BANDS
        ),
        (f"{last + 1} or more", sum(n > last for n in started_counts)),
    )
    proposed = sum(s == PairStatus.PROPOSED for s, _ in per_pair)
    return Participation(
        *rows,
        started=of(*STARTED, label="Pairs started"),
        proposed=proposed,
        proposed_note=sentences.proposed_not_counted(proposed),
        bands=bands,
        status_chart=charts.bar_chart(
            [(row.label, row.pairs) for row in rows],
            maximum=max([row.pairs for row in rows] + [1]),
            title="Pairs started, by what became of them",
        ),
        bands_chart=charts.bar_chart(
            list(bands),
            maximum=max([count for _, count in bands] + [1]),
            title="Pairs started, by the number of meetings they logged",
            unit=" pairs",
        ),
    )


# --- The timeline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    number: int
    name: str
    planned_start: date
    planned_end: date
    status: str
    status_key: str
    finished: date | None
    adherence: str
    late: bool


@dataclass(frozen=True)
class Timeline:
    rows: tuple[StageRow, ...]
    done: int
    late: int
    summary: str


def timeline(programme: Programme, today: date) -> Timeline:
    """Each stage as planned, with its actual finish when done: when it became done, or else
    (a stage finished before that was recorded) its last task's completion."""
    zone = programme.organisation.zone
    finished_at: dict[int, datetime | None] = dict(
        StageTask.objects.filter(programme=programme, stage__status=StageStatus.DONE)
        .values("stage_id")
        .annotate(finished=Max("completed_at"))
        .values_list("stage_id", "finished")
    )
    rows = []
    for stage in timeline_stages(programme, today):
        finished = stage.done_at or finished_at.get(stage.pk)
        finished_on = timezone.localtime(finished, zone).date() if finished else None
        state, days = _adherence(stage, finished_on, today)
        rows.append(
            StageRow(
                number=stage.number,
                name=stage.name,
                planned_start=stage.planned_start,
                planned_end=stage.planned_end,
                status=stage.get_status_display(),
                status_key=stage.status,
                finished=finished_on,
                adherence=sentences.adherence(state, days),
                late=state in sentences.LATE,
            )
        )
    done = sum(row.status_key == StageStatus.DONE for row in rows)
    late = sum(row.late for row in rows)
    return Timeline(tuple(rows), done, late, sentences.stages_done(done, len(rows), late))


def _adherence(
    stage: Stage, finished_on: date | None, today: date
) -> tuple[sentences.AdherenceState, int]:
    if stage.status == StageStatus.DONE:
        if finished_on is None:
            return "unrecorded", 0
        days = (finished_on - stage.planned_end).days
        return ("finished_late", days) if days > 0 else ("on_time", 0)
    if stage.planned_end < today:
        return "overdue", (today - stage.planned_end).days
    if stage.status == StageStatus.IN_PROGRESS:
        return "under_way", 0
    if stage.planned_start <= today:
        return "due", 0
    return "not_due", 0


# --- Purpose -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purpose:
    purpose: str
    scope: str
    measures: tuple[str, ...]


def purpose(programme: Programme) -> Purpose:
    measures = programme.success_measures.values_list("text", flat=True)
    return Purpose(programme.purpose.strip(), programme.scope.strip(), tuple(measures))


# --- Results of the evaluation survey, against the baseline --------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure of a results table; `state` is "" for a figure, else hidden/none/up/down."""

    text: str
    state: str = ""
    detail: str = ""  # under the figure, e.g. how many people stand behind it


@dataclass(frozen=True)
class QuestionRow:
    text: str
    scale: str
    baseline: Cell
    evaluation: Cell
    change: Cell
    paired: Cell  # for those who answered both surveys, with its 95% interval
    side_changes: tuple[Cell, ...]  # senior, junior


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str
    rows: int

    @property
    def tall(self) -> bool:
        return self.rows > 6


@dataclass(frozen=True)
class FreeText:
    question: str
    written: int  # how many people wrote an answer
    quotable: int  # how many of them allowed it to be quoted
    written_note: str
    answers: tuple[tuple[str, int | None], ...]  # quotable answer, how many gave it when 2 or more
    note: str  # why nothing is quoted, when nothing is


@dataclass(frozen=True)
class ResultsPart:
    """One category of the evaluation survey."""

    title: str
    description: str
    questions: tuple[QuestionRow, ...] = ()
    charts: tuple[Chart, ...] = ()
    no_chart_reason: str = ""
    free_text: tuple[FreeText, ...] = ()


@dataclass(frozen=True)
class ResultsChapter:
    parts: tuple[ResultsPart, ...]


def results_chapter(
    evaluation: SurveyResults | None,
    baseline: SurveyResults | None,
    categories: Sequence[str],
) -> ResultsChapter:
    """The evaluation survey's figures in these categories, each beside the baseline's."""
    # Both surveys' figures stand side by side, so charts mark what either survey hides.
    threshold = max((r.threshold for r in (baseline, evaluation) if r), default=0)
    baseline_by_key = _by_key(baseline)
    return ResultsChapter(
        tuple(
            _results_part(evaluation, baseline_by_key, category, threshold)
            for category in categories
        )
    )


def _by_key(results: SurveyResults | None) -> dict[str, QuestionResult]:
    if results is None:
        return {}
    return {r.question.key: r for r in results.questions if r.question.key}


def _is_scale(result: QuestionResult) -> bool:
    return result.question.kind in (QuestionKind.AGREE, QuestionKind.SCALE10)


def _scale_label(kind: str) -> str:
    return "0-10" if kind == QuestionKind.SCALE10 else "1-5"


def _maximum(kind: str) -> int:
    return 10 if kind == QuestionKind.SCALE10 else 5


def _summary_of(result: QuestionResult | None, side: str) -> ScaleSummary | None:
    if result is None or not isinstance(result.overall, ScaleSummary):
        return None
    summary = result.by_side.get(side) if side else result.overall
    return summary if isinstance(summary, ScaleSummary) else None


def _figure_cell(result: QuestionResult | None, missing: str) -> Cell:
    if result is None:
        return Cell(missing, "none")
    summary = _summary_of(result, "")
    if summary is not None:
        return Cell(f"{summary.mean:.1f}", "", f"n={summary.count}")
    if result.respondents == 0:
        return Cell("no responses yet", "none")
    return Cell("hidden", "hidden")


def _change_cell(before: QuestionResult | None, after: QuestionResult, side: str) -> Cell:
    """The change for everyone or one side: a figure only when both means may be shown."""
    if after.respondents == 0 or before is None or before.respondents == 0:
        return Cell("-", "none")
    difference = change(_summary_of(before, side), _summary_of(after, side))
    if difference is None:
        return Cell("hidden", "hidden")
    if difference == 0:
        return Cell("0.0")
    return Cell(f"{difference:+.1f}", "up" if difference > 0 else "down")


def _paired_cell(paired: PairedChange | None, threshold: int) -> Cell:
    """The change for those who answered both, how many they were and its 95% interval."""
    if paired is None:
        return Cell("-", "none")
    if paired.mean is None:
        if paired.count == 0:
            return Cell("-", "none", "nobody answered both")
        too_few = paired.count < threshold
        return Cell("hidden", "hidden", "too few answered both" if too_few else "see method")
    detail = f"n={paired.count}"
    if paired.has_interval:
        detail += f" · {_signed(paired.low)} to {_signed(paired.high)}"
    state = "" if paired.mean == 0 else "up" if paired.mean > 0 else "down"
    return Cell(_signed(paired.mean), state, detail)


def _signed(value: float) -> str:
    return "0.0" if value == 0 else f"{value:+.1f}"


def _short_label(result: QuestionResult) -> str:
    label = SHORT_LABELS.get(result.question.key) or result.question.text
    if len(label) <= SHORT_LABEL_CHARACTERS:
        return label
    return label[: SHORT_LABEL_CHARACTERS - 1].rstrip() + "…"


def _results_part(
    evaluation: SurveyResults | None,
    baseline_by_key: dict[str, QuestionResult],
    category: str,
    threshold: int,
) -> ResultsPart:
    title = Category(category).label
    description = CATEGORY_DESCRIPTIONS.get(category, "")
    if evaluation is None:
        return ResultsPart(title, description, no_chart_reason=sentences.no_evaluation_survey())
    in_category = [r for r in evaluation.questions if r.question.category == category]
    scales = [r for r in in_category if _is_scale(r)]
    by_scale = (
        _chart(title, [r for r in scales if r.question.kind == kind], baseline_by_key, threshold)
        for kind in (QuestionKind.AGREE, QuestionKind.SCALE10)
    )
    chart_list = tuple(chart for chart in by_scale if chart)
    shows_nothing_by_side = not chart_list and any(r.respondents for r in scales)
    return ResultsPart(
        title,
        description,
        questions=tuple(_question_row(r, baseline_by_key, threshold) for r in scales),
        charts=chart_list,
        no_chart_reason=sentences.no_chart_by_side(threshold) if shows_nothing_by_side else "",
        free_text=tuple(_free_text(r) for r in in_category if r.is_text),
    )


def _question_row(
    result: QuestionResult, baseline_by_key: dict[str, QuestionResult], threshold: int
) -> QuestionRow:
    before = baseline_by_key.get(result.question.key) if result.question.key else None
    missing = "not asked" if baseline_by_key else "no baseline"
    return QuestionRow(
        text=result.question.text,
        scale=_scale_label(result.question.kind),
        baseline=_figure_cell(before, missing),
        evaluation=_figure_cell(result, "no responses yet"),
        change=_change_cell(before, result, ""),
        paired=_paired_cell(result.paired, threshold),
        side_changes=tuple(_change_cell(before, result, side) for side in SIDES),
    )


def _chart(
    title: str,
    of_kind: list[QuestionResult],
    baseline_by_key: dict[str, QuestionResult],
    threshold: int,
) -> Chart | None:
    """Baseline and evaluation means by side, for the questions of one scale; none when there
    are none or every figure by side is hidden."""
    if not of_kind:
        return None
    kind = of_kind[0].question.kind
    rows = [
        (
            f"{SIDE_LABELS[side]} · {_short_label(result)}",
            (
                before.mean
                if (before := _summary_of(baseline_by_key.get(result.question.key), side))
                else None
            ),
            after.mean if (after := _summary_of(result, side)) else None,
        )
        for result in of_kind
        for side in SIDES
    ]
    if all(b is None and e is None for _, b, e in rows):
        return None
    caption = f"{title}: mean agreement by side, baseline and evaluation"
    if kind == QuestionKind.SCALE10:
        caption = f"{title}: after promotion panels, mean on a 0-10 scale by side"
    svg = charts.change_chart(rows, maximum=_maximum(kind), title=caption, threshold=threshold)
    return Chart(caption, svg, len(rows))


def _distinct(quotes: Sequence[str]) -> tuple[tuple[str, int | None], ...]:
    """Identical quotable answers once each, most frequent first. How many gave one is shown
    only when two or more did: a count of 1 would add nothing but a pointer to one person."""
    counts: Counter[str] = Counter()
    first_spelling: dict[str, str] = {}
    for quote in quotes:
        key = quote.casefold()
        first_spelling.setdefault(key, quote)
        counts[key] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((first_spelling[key], count if count >= 2 else None) for key, count in ordered)


def _free_text(result: QuestionResult, *, themes: bool = False) -> FreeText:
    summary = result.overall
    if not isinstance(summary, FreeTextSummary):
        raise TypeError("Not a free-text result.")
    return FreeText(
        question=result.question.text,
        written=summary.written,
        quotable=summary.quotable,
        written_note=sentences.answers_written(summary.written, summary.quotable, themes=themes),
        answers=_distinct(summary.quotes),
        note=summary.why_none_quoted,
    )


# --- The organisation's hard measures, beside the participants' view -----------------------------


@dataclass(frozen=True)
class HardMeasureRow:
    name: str
    group: str
    shows: str  # the purpose's success measure it shows, if any
    before: str
    before_on: date
    after: str  # "" until the later figure is known
    after_on: date | None
    change: str
    source: str
    note: str


@dataclass(frozen=True)
class HardMeasures:
    rows: tuple[HardMeasureRow, ...]
    summary: str


@dataclass(frozen=True)
class Organisational:
    """The organisational chapter: hard figures from the organisation's systems, then the
    participants' answers about the organisation."""

    measures: HardMeasures
    results: ResultsChapter


def hard_measures(programme: Programme) -> HardMeasures:
    # Those that show a success measure of the purpose first, in the purpose's order.
    ordered = sorted(
        hard_measures_of(programme),
        key=lambda m: (
            m.success_measure is None,
            m.success_measure.position if m.success_measure else 0,
        ),
    )
    rows = tuple(_hard_measure_row(measure) for measure in ordered)
    later = sum(bool(row.after) for row in rows)
    return HardMeasures(rows, sentences.hard_measures_recorded(len(rows), later))


def _hard_measure_row(measure: HardMeasure) -> HardMeasureRow:
    return HardMeasureRow(
        name=measure.name,
        group=measure.group_text,
        shows=measure.success_measure.text if measure.success_measure else "",
        before=measure.before_text,
        before_on=measure.before_on,
        after=measure.after_text,
        after_on=measure.after_on,
        change=measure.change_text,
        source=measure.source,
        note=measure.note,
    )


def organisational(programme: Programme, surveys: StandardSurveys) -> Organisational:
    return Organisational(
        hard_measures(programme),
        results_chapter(surveys.evaluation, surveys.baseline, (Category.ORGANISATIONAL,)),
    )


# --- Headline outcomes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    label: str
    scale: str
    baseline: float | None
    evaluation: float | None
    change: float | None
    counted: int
    questions: int
    baseline_missing: str  # what to say when the baseline figure is not shown
    evaluation_missing: str


def headlines(
    evaluation: SurveyResults | None, baseline: SurveyResults | None
) -> tuple[Headline, ...]:
    """Per category and scale: the mean of the question means, over the questions whose overall
    figures are visible in both surveys (else the evaluation alone)."""
    if evaluation is None:
        return ()
    baseline_by_key = _by_key(baseline)
    found = []
    for category in HEADLINE_CATEGORIES:
        for kind in (QuestionKind.AGREE, QuestionKind.SCALE10):
            questions = [
                r
                for r in evaluation.questions
                if r.question.category == category and r.question.kind == kind
            ]
            if not questions:
                continue
            pairs = [
                (_summary_of(baseline_by_key.get(r.question.key), ""), _summary_of(r, ""))
                for r in questions
            ]
            both = [(b, e) for b, e in pairs if b is not None and e is not None]
            after_only = [e.mean for _, e in pairs if e is not None]
            label = Category(category).label
            if category == Category.ORGANISATIONAL and kind == QuestionKind.SCALE10:
                label += ": after promotion panels"
            found.append(
                Headline(
                    label=label,
                    scale=_scale_label(kind),
                    baseline=mean_to_one_decimal([b.mean for b, _ in both]) if both else None,
                    evaluation=(
                        mean_to_one_decimal([e.mean for _, e in both])
                        if both
                        else mean_to_one_decimal(after_only)
                        if after_only
                        else None
                    ),
                    change=(
                        mean_to_one_decimal([e.mean - b.mean for b, e in both]) if both else None
                    ),
                    counted=len(both) if both else len(after_only),
                    questions=len(questions),
                    baseline_missing=_missing(baseline, "no baseline"),
                    evaluation_missing=_missing(evaluation, "not closed yet"),
                )
            )
    return tuple(found)


def _missing(results: SurveyResults | None, absent: str) -> str:
    if results is None:
        return absent
    return "no responses yet" if results.submitted == 0 else "hidden"


# --- The sections' figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    participation: Participation
    key_messages: tuple[str, ...]
    headlines: tuple[Headline, ...]
    rates: tuple[SurveyRate, ...]
    hidden_below: int


def summary(participation: Participation, timeline: Timeline, surveys: StandardSurveys) -> Summary:
    found = headlines(surveys.evaluation, surveys.baseline)
    rates = survey_rates(surveys)
    return Summary(
        participation=participation,
        key_messages=tuple(sentences.key_messages(participation, timeline, found, rates[-1])),
        headlines=found,
        rates=rates,
        hidden_below=anonymity(surveys).hidden_below,
    )


def themes(initial: SurveyResults | None) -> FreeText | None:
    """The initial survey's themes question, when anyone wrote a theme; else no section."""
    if initial is None:
        return None
    for result in initial.questions:
        is_themes = result.question.key == "themes" or result.question.category == "themes"
        if is_themes and result.is_text:
            found = _free_text(result, themes=True)
            return found if found.written else None
    return None


@dataclass(frozen=True)
class Method:
    anonymity: Anonymity
    rates: tuple[SurveyRate, ...]


def method(surveys: StandardSurveys) -> Method:
    return Method(anonymity(surveys), survey_rates(surveys))


# --- Supervision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None: hidden, fewer than the threshold stand behind it


@dataclass(frozen=True)
class SupervisionFigures:
    """Referrals by where they went, how urgent and how they ended: counts only, never a person,
    and no count smaller than the threshold nor one that subtraction would reveal."""

    total: int
    threshold: int
    by_route: tuple[CountRow, ...]
    by_urgency: tuple[CountRow, ...]
    by_outcome: tuple[CountRow, ...]

    @property
    def shown(self) -> bool:
        return self.total >= self.threshold


def _count_rows(counts: dict[str, int], labels: dict[str, str], threshold: int) -> tuple:
    full = {key: counts.get(key, 0) for key in labels}
    shown = group_aggregates(full, threshold, total_shown=True)
    return tuple(
        CountRow(label, full[key] if shown[key].visible else None)
        for key, label in labels.items()
        if full[key]
    )


def supervision(programme: Programme) -> SupervisionFigures:
    counts = referral_counts(programme)
    threshold = effective_threshold(programme.anonymity_threshold)
    return SupervisionFigures(
        total=counts.total,
        threshold=threshold,
        by_route=_count_rows(counts.by_route, dict(Route.choices), threshold),
        by_urgency=_count_rows(counts.by_urgency, dict(Urgency.choices), threshold),
        by_outcome=_count_rows(counts.by_outcome, dict(Outcome.choices), threshold),
    )
