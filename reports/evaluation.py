"""The executive's evaluation report: a PDF a board would read. Rendered only by a Celery task,
inside the programme's organisation scope, never in a web worker.

Every survey figure in it comes from `survey_results`, so nothing from fewer respondents than the
survey's threshold is shown, nor anything that would reveal a hidden group by subtraction. Free
text is quoted only as `survey_results` allows (`anonymity.free_text_summary`): answers whose
authors allowed quoting, when at least the threshold wrote one. The data is read in a fixed
number of queries, however many pairs, meetings and responses there are.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from pairs.models import Pair, PairStatus
from programmes.models import Programme, StageStatus, StageTask
from programmes.selectors import timeline_stages
from surveys import charts
from surveys.anonymity import (
    FreeTextSummary,
    ScaleSummary,
    change,
    effective_threshold,
    mean_to_one_decimal,
)
from surveys.models import Category, QuestionKind, Survey, SurveyKind
from surveys.selectors import SIDES, QuestionResult, SurveyResults, survey_results

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
STARTED = (PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY)


# --- What the template receives ------------------------------------------------------------------


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
    side_changes: list[Cell]  # senior, junior


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str
    rows: int

    @property
    def tall(self) -> bool:
        return self.rows > 6


@dataclass
class ResultsSection:
    anchor: str
    title: str
    description: str
    questions: list[QuestionRow] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    no_chart_reason: str = ""
    free_text: list["FreeText"] = field(default_factory=list)


@dataclass(frozen=True)
class FreeText:
    question: str
    written: int  # how many people wrote an answer
    quotable: int  # how many of them allowed it to be quoted
    answers: list[tuple[str, int | None]]  # quotable answer, how many gave it when 2 or more
    note: str  # why nothing is quoted, when nothing is


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


@dataclass(frozen=True)
class SurveyRate:
    title: str
    dates: str
    submitted: int
    expected: int
    rate: int | None
    present: bool


@dataclass(frozen=True)
class StatusFigures:
    label: str
    pairs: int
    meetings: int
    mean: float | None


@dataclass(frozen=True)
class Participation:
    rows: list[StatusFigures]
    started: StatusFigures
    proposed: int
    bands: list[tuple[str, int]]
    status_chart: str
    bands_chart: str


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
class Chapter:
    """A results chapter: one or more categories of the evaluation survey."""

    anchor: str
    number: int
    title: str
    intro: str
    parts: list[ResultsSection]
    subheadings: bool


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str


# --- The report ----------------------------------------------------------------------------------


def evaluation_html(programme: Programme) -> str:
    return render_to_string("reports/evaluation.html", evaluation_context(programme))


def evaluation_context(programme: Programme) -> dict[str, object]:
    organisation = programme.organisation
    now = timezone.localtime(timezone.now(), organisation.zone)
    today = now.date()
    results = _standard_results(programme)
    baseline, initial, evaluation = (results.get(kind) for kind in _KINDS)
    baseline_by_key = _by_key(baseline)
    # Each survey keeps the threshold it closed with, so they can differ: "none from fewer than"
    # takes the lowest, "hidden: fewer than" the highest, and both statements stay true.
    thresholds = [r.threshold for r in results.values()] or [
        effective_threshold(programme.anonymity_threshold)
    ]
    threshold, hidden_below = min(thresholds), max(thresholds)
    comparison = max(r.threshold for r in (baseline, evaluation) if r) if evaluation else threshold

    outcomes = [
        _results_section(evaluation, baseline_by_key, category, comparison)
        for category in OUTCOME_CATEGORIES
    ]
    reciprocal = _results_section(evaluation, baseline_by_key, Category.RECIPROCAL, comparison)
    organisational = _results_section(
        evaluation, baseline_by_key, Category.ORGANISATIONAL, comparison
    )
    themes = _themes(initial)
    participation = _participation(programme)
    stages = _stage_rows(programme, today, organisation.zone)
    headlines = _headlines(evaluation, baseline, baseline_by_key)
    rates = [_survey_rate(results.get(kind), kind) for kind in _KINDS]

    toc = [
        TocEntry("summary", "Executive summary"),
        TocEntry("purpose", "Purpose and success measures"),
        TocEntry("participation", "Participation"),
        TocEntry("timeline", "Timeline adherence"),
        TocEntry("outcomes", "Outcomes for participants"),
        TocEntry("reciprocal", "Reciprocal learning"),
        TocEntry("organisational", "Organisational measures"),
        *([TocEntry("themes", "Themes and systemic actions")] if themes else []),
        TocEntry("method", "Method and anonymity"),
    ]
    numbers = {entry.anchor: number for number, entry in enumerate(toc, start=1)}
    chapters = [
        Chapter(
            "outcomes",
            numbers["outcomes"],
            "Outcomes for participants",
            "The standard mentoring outcomes in four categories, for each side of the pairs. "
            "Each chart sets the baseline mean (grey) beside the evaluation mean (teal) on a "
            "1-5 agreement scale; the table gives every figure with the number of people "
            "behind it.",
            outcomes,
            subheadings=True,
        ),
        Chapter(
            "reciprocal",
            numbers["reciprocal"],
            "Reciprocal learning",
            "What sets reciprocal mentoring apart: both partners learn, the senior partner "
            "especially about the experience of colleagues unlike them.",
            [reciprocal],
            subheadings=False,
        ),
        Chapter(
            "organisational",
            numbers["organisational"],
            "Organisational measures",
            "Impact on the organisation's system, as the participants see it. Hard measures "
            "such as the retention and promotion of diverse talent sit outside these surveys "
            "and are best read beside them.",
            [organisational],
            subheadings=False,
        ),
    ]
    return {
        "programme": programme,
        "organisation": organisation,
        "generated_on": dateformat.format(now, "j F Y"),
        "generated_at": dateformat.format(now, "j F Y, H:i T"),
        "threshold": threshold,
        "hidden_below": hidden_below,
        "kept_thresholds": [
            (r.survey.title, r.threshold)
            for r in results.values()
            if r.threshold > effective_threshold(programme.anonymity_threshold)
        ],
        "toc": toc,
        "numbers": numbers,
        "chapters": chapters,
        "key_messages": _key_messages(participation, stages, headlines, rates),
        "headlines": headlines,
        "rates": rates,
        "success_measures": list(programme.success_measures.all()),
        "participation": participation,
        "stages": stages,
        "stages_done": sum(stage.status_key == StageStatus.DONE for stage in stages),
        "stages_late": sum(stage.late for stage in stages),
        "themes": themes,
        "evaluation_survey": evaluation.survey if evaluation else None,
    }


# --- Surveys -------------------------------------------------------------------------------------

_KINDS = (SurveyKind.BASELINE, SurveyKind.INITIAL, SurveyKind.EVALUATION)


def _standard_results(programme: Programme) -> dict[str, SurveyResults]:
    """The first survey of each standard kind, with its anonymised results."""
    surveys: dict[str, Survey] = {}
    for survey in Survey.objects.filter(programme=programme, kind__in=_KINDS).order_by(
        "opens_on", "pk"
    ):
        surveys.setdefault(survey.kind, survey)
    results = {}
    for kind, survey in surveys.items():
        survey.programme = programme  # saves survey_results a query for the threshold
        # Only closed surveys: figures that move with each new answer would give that answer away.
        if survey.has_closed():
            results[kind] = survey_results(survey)
    return results


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


def _short_label(result: QuestionResult) -> str:
    label = SHORT_LABELS.get(result.question.key) or result.question.text
    if len(label) <= SHORT_LABEL_CHARACTERS:
        return label
    return label[: SHORT_LABEL_CHARACTERS - 1].rstrip() + "…"


def _results_section(
    evaluation: SurveyResults | None,
    baseline_by_key: dict[str, QuestionResult],
    category: str,
    threshold: int,
) -> ResultsSection:
    section = ResultsSection(
        anchor=str(category),
        title=Category(category).label,
        description=CATEGORY_DESCRIPTIONS.get(category, ""),
    )
    if evaluation is None:
        section.no_chart_reason = "There is no evaluation survey in this programme."
        return section
    in_category = [r for r in evaluation.questions if r.question.category == category]
    scales = [r for r in in_category if _is_scale(r)]
    missing = "not asked" if baseline_by_key else "no baseline"
    for result in scales:
        before = baseline_by_key.get(result.question.key) if result.question.key else None
        section.questions.append(
            QuestionRow(
                text=result.question.text,
                scale=_scale_label(result.question.kind),
                baseline=_figure_cell(before, missing),
                evaluation=_figure_cell(result, "no responses yet"),
                change=_change_cell(before, result, ""),
                side_changes=[_change_cell(before, result, side) for side in SIDES],
            )
        )
    for kind in (QuestionKind.AGREE, QuestionKind.SCALE10):
        of_kind = [r for r in scales if r.question.kind == kind]
        if not of_kind:
            continue
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
            continue
        caption = f"{section.title}: mean agreement by side, baseline and evaluation"
        if kind == QuestionKind.SCALE10:
            caption = f"{section.title}: after promotion panels, mean on a 0-10 scale by side"
        svg = charts.change_chart(rows, maximum=_maximum(kind), title=caption, threshold=threshold)
        section.charts.append(Chart(caption, svg, len(rows)))
    if not section.charts and any(r.respondents for r in scales):
        section.no_chart_reason = (
            f"No chart by side: every figure by side is hidden, as fewer than {threshold} "
            "people on a side answered."
        )
    section.free_text = [_free_text(r) for r in in_category if r.is_text]
    return section


def _distinct(quotes: Sequence[str]) -> list[tuple[str, int | None]]:
    """Identical quotable answers once each, most frequent first. How many gave one is shown
    only when two or more did: a count of 1 would add nothing but a pointer to one person."""
    counts: Counter[str] = Counter()
    first_spelling: dict[str, str] = {}
    for quote in quotes:
        key = quote.casefold()
        first_spelling.setdefault(key, quote)
        counts[key] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(first_spelling[key], count if count >= 2 else None) for key, count in ordered]


def _free_text(result: QuestionResult) -> FreeText:
    summary = result.overall
    if not isinstance(summary, FreeTextSummary):
        raise TypeError("Not a free-text result.")
    return FreeText(
        question=result.question.text,
        written=summary.written,
        quotable=summary.quotable,
        answers=_distinct(summary.quotes),
        note=summary.why_none_quoted,
    )


def _themes(initial: SurveyResults | None) -> FreeText | None:
    """The initial survey's themes question, when anyone wrote a theme; else no section."""
    if initial is None:
        return None
    for result in initial.questions:
        is_themes = result.question.key == "themes" or result.question.category == "themes"
        if is_themes and result.is_text:
            themes = _free_text(result)
            return themes if themes.written else None
    return None


def _missing(results: SurveyResults | None, absent: str) -> str:
    if results is None:
        return absent
    return "no responses yet" if results.submitted == 0 else "hidden"


def _headlines(
    evaluation: SurveyResults | None,
    baseline: SurveyResults | None,
    baseline_by_key: dict[str, QuestionResult],
) -> list[Headline]:
    """Per category and scale: the mean of the question means, over the questions whose overall
    figures are visible in both surveys (else the evaluation alone)."""
    if evaluation is None:
        return []
    headlines = []
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
            after_only = [e for _, e in pairs if e is not None]
            label = Category(category).label
            if category == Category.ORGANISATIONAL:
                label += ": after promotion panels" if kind == QuestionKind.SCALE10 else ""
            headlines.append(
                Headline(
                    label=label,
                    scale=_scale_label(kind),
                    baseline=mean_to_one_decimal([b.mean for b, _ in both]) if both else None,
                    evaluation=(
                        mean_to_one_decimal([e.mean for _, e in both])
                        if both
                        else mean_to_one_decimal([e.mean for e in after_only])
                        if after_only
                        else None
                    ),
                    change=mean_to_one_decimal([e.mean - b.mean for b, e in both])
                    if both
                    else None,
                    counted=len(both) if both else len(after_only),
                    questions=len(questions),
                    baseline_missing=_missing(baseline, "no baseline"),
                    evaluation_missing=_missing(evaluation, "not closed yet"),
                )
            )
    return headlines


def _survey_rate(results: SurveyResults | None, kind: str) -> SurveyRate:
    if results is None:
        return SurveyRate(SurveyKind(kind).label, "", 0, 0, None, False)
    survey = results.survey
    opens = "%-d %b" if survey.opens_on.year == survey.closes_on.year else "%-d %b %Y"
    dates = f"{survey.opens_on:{opens}} to {survey.closes_on:%-d %b %Y}"
    rate = results.completion if results.expected else None
    return SurveyRate(survey.title, dates, results.submitted, results.expected, rate, present=True)


# --- Pairs and the timeline ----------------------------------------------------------------------


def _participation(programme: Programme) -> Participation:
    """Pair figures and meetings in one query: each pair's status and its number of meetings."""
    per_pair = list(
        Pair.objects.filter(programme=programme)
        .annotate(meeting_count=Count("meetings"))
        .values_list("status", "meeting_count")
    )
    rows = []
    for status in STARTED:
        counts = [n for s, n in per_pair if s == status]
        rows.append(_status_figures(PairStatus(status).label, counts))
    started_counts = [n for s, n in per_pair if s in STARTED]
    started = _status_figures("Pairs started", started_counts)
    last = MEETING_BANDS[-1][1]
    bands = [
        (label, sum(low <= n <= high for n in started_counts)) for low, high, label in MEETING_BANDS
    ]
    bands.append((f"{last + 1} or more", sum(n > last for n in started_counts)))
    status_chart = charts.bar_chart(
        [(row.label, row.pairs) for row in rows],
        maximum=max([row.pairs for row in rows] + [1]),
        title="Pairs started, by what became of them",
    )
    bands_chart = charts.bar_chart(
        bands,
        maximum=max([count for _, count in bands] + [1]),
        title="Pairs started, by the number of meetings they logged",
        unit=" pairs",
    )
    return Participation(
        rows=rows,
        started=started,
        proposed=sum(s == PairStatus.PROPOSED for s, _ in per_pair),
        bands=bands,
        status_chart=status_chart,
        bands_chart=bands_chart,
    )


def _status_figures(label: str, meeting_counts: list[int]) -> StatusFigures:
    meetings = sum(meeting_counts)
    mean = mean_to_one_decimal(meeting_counts) if meeting_counts else None
    return StatusFigures(label, len(meeting_counts), meetings, mean)


def _stage_rows(programme: Programme, today: date, zone) -> list[StageRow]:
    """Each stage as planned, with its actual finish when done: when it became done, or else
    (a stage finished before that was recorded) its last task's completion."""
    stages = timeline_stages(programme, today)
    finished_at: dict[int, datetime | None] = dict(
        StageTask.objects.filter(programme=programme, stage__status=StageStatus.DONE)
        .values("stage_id")
        .annotate(finished=Max("completed_at"))
        .values_list("stage_id", "finished")
    )
    rows = []
    for stage in stages:
        finished = stage.done_at or finished_at.get(stage.pk)
        finished_on = timezone.localtime(finished, zone).date() if finished else None
        adherence, late = _adherence(stage, finished_on, today)
        rows.append(
            StageRow(
                number=stage.number,
                name=stage.name,
                planned_start=stage.planned_start,
                planned_end=stage.planned_end,
                status=stage.get_status_display(),
                status_key=stage.status,
                finished=finished_on,
                adherence=adherence,
                late=late,
            )
        )
    return rows


def _adherence(stage, finished_on: date | None, today: date) -> tuple[str, bool]:
    if stage.status == StageStatus.DONE:
        if finished_on is None:
            return "Done; finish date not recorded", False
        days = (finished_on - stage.planned_end).days
        if days > 0:
            return f"Finished {days} day{'s' if days != 1 else ''} late", True
        return "On time", False
    if stage.planned_end < today:
        days = (today - stage.planned_end).days
        return f"Overdue by {days} day{'s' if days != 1 else ''}", True
    if stage.status == StageStatus.IN_PROGRESS:
        return "Under way", False
    if stage.planned_start <= today:
        return "Due to have started", False
    return "Not due yet", False


# --- The executive summary's sentences -----------------------------------------------------------


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _key_messages(
    participation: Participation,
    stages: list[StageRow],
    headlines: list[Headline],
    rates: list[SurveyRate],
) -> list[str]:
    messages = []
    started = participation.started
    if started.pairs:
        by_status = {row.label: row.pairs for row in participation.rows}
        ended = by_status.get(PairStatus.ENDED_EARLY.label, 0)
        messages.append(
            f"{_plural(started.pairs, 'pair')} started: "
            f"{by_status.get(PairStatus.ACTIVE.label, 0)} still active, "
            f"{by_status.get(PairStatus.COMPLETED.label, 0)} completed and "
            f"{ended} ended early ({round(100 * ended / started.pairs)}%)."
        )
        messages.append(
            f"The pairs logged {_plural(started.meetings, 'meeting')}, "
            f"a mean of {started.mean:.1f} per pair."
        )
    else:
        messages.append("No pairs have started yet.")
    changes = [h for h in headlines if h.change is not None and h.scale == "1-5"]
    if changes:
        best = max(changes, key=lambda h: h.change)
        worst = min(changes, key=lambda h: h.change)
        messages.append(
            f"Since the baseline, the largest change is in {best.label.lower()} "
            f"({best.change:+.1f} on a 1-5 scale)"
            + (
                f"; the smallest in {worst.label.lower()} ({worst.change:+.1f})."
                if worst is not best
                else "."
            )
        )
    else:
        messages.append(
            "No change since the baseline can be shown yet: the baseline or the evaluation "
            "survey has too few responses."
        )
    evaluation = rates[-1]
    if evaluation.present and evaluation.expected and not evaluation.submitted:
        messages.append(
            f"Nobody has answered the evaluation survey yet ({evaluation.expected} invited)."
        )
    elif evaluation.present and evaluation.rate is not None:
        messages.append(
            f"{evaluation.rate}% of participants answered the evaluation survey "
            f"({evaluation.submitted} of {evaluation.expected})."
        )
    done = sum(stage.status_key == StageStatus.DONE for stage in stages)
    late = sum(stage.late for stage in stages)
    messages.append(
        f"{done} of {len(stages)} stages are done; "
        f"{_plural(late, 'stage')} finished late or {'is' if late == 1 else 'are'} overdue."
    )
    return messages
