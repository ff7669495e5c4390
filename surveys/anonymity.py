"""Which survey aggregates may be shown without revealing who answered what (pure functions).

Every aggregate is hidden when fewer respondents than the programme's threshold stand behind it,
and groups of a partition (such as the two sides) are also hidden when the shown total minus the
shown groups would give away a hidden group's answers. Every function clamps the threshold with
`effective_threshold`, so a misconfigured programme cannot weaken the protection.

Free text is never shown word for word unless its author allowed that answer to be quoted, and
then only when at least the threshold of respondents wrote an answer (`free_text_summary`).
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, stdev

from . import student_t

MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5


def effective_threshold(threshold: int) -> int:
    return max(threshold, MIN_THRESHOLD)


def total_visible(total: int, threshold: int) -> bool:
    return total >= effective_threshold(threshold)


@dataclass(frozen=True)
class FreeTextSummary:
    """All that is ever shown of a free-text question: how many wrote an answer, how many of
    them allowed it to be quoted, and the quotable answers themselves when enough wrote one."""

    written: int
    quotable: int
    quotes: tuple[str, ...]  # sorted, so the order says nothing of who wrote what
    threshold: int  # the effective threshold the rule was applied with

    @property
    def why_none_quoted(self) -> str:
        """Why nothing is quoted, in plain words; "" when something is."""
        if self.quotes:
            return ""
        if self.written == 0:
            return "Nobody wrote an answer."
        if self.written < self.threshold:
            return f"Fewer than {self.threshold} people wrote an answer."
        return "Nobody allowed their answer to be quoted."


def free_text_summary(answers: Sequence[tuple[str, bool]], threshold: int) -> FreeTextSummary:
    """The one rule for free text: an answer is quoted word for word only when its author
    allowed it, and then only when at least the threshold of respondents wrote an answer.

    Each item is one respondent's (text, may be quoted). Blank texts are not answers.
    """
    written = [(text, allowed) for text, allowed in answers if text.strip()]
    quotable = [(text, 1) for text, allowed in written if allowed]
    return free_text_summary_of(len(written), quotable, threshold)


def free_text_summary_of(
    written: int, quotable: Iterable[tuple[str, int]], threshold: int
) -> FreeTextSummary:
    """`free_text_summary` of answers the database counted: how many wrote an answer (blank
    texts are never stored) and each quotable text with how many wrote it word for word."""
    minimum = effective_threshold(threshold)
    allowed = [" ".join(text.split()) for text, count in quotable for _ in range(count)]
    allowed = [text for text in allowed if text]
    quotes = sorted(allowed, key=lambda text: (text.casefold(), text)) if written >= minimum else []
    return FreeTextSummary(written, len(allowed), tuple(quotes), minimum)


def visible_groups(
    counts: Mapping[str, int], threshold: int, *, total_shown: bool
) -> frozenset[str]:
    """The groups of a partition whose aggregates may be shown.

    A group needs at least the threshold of respondents. When the total is shown as well, the
    hidden groups together must hold no respondents or at least the threshold, else subtracting
    the visible groups from the total would reveal them; the smallest visible groups (then by
    name) are hidden until that holds. Empty groups are never visible, and since subtraction
    reveals nothing about them they do not force other groups to be hidden.
    """
    if any(count < 0 for count in counts.values()):
        raise ValueError("Respondent counts cannot be negative.")
    minimum = effective_threshold(threshold)
    visible = {group for group, count in counts.items() if count >= minimum}
    if total_shown:
        while visible and 0 < _hidden_count(counts, visible) < minimum:
            visible.remove(min(visible, key=lambda group: (counts[group], group)))
    return frozenset(visible)


def _hidden_count(counts: Mapping[str, int], visible: set[str]) -> int:
    return sum(count for group, count in counts.items() if group not in visible)


@dataclass(frozen=True)
class Aggregate:
    """One group's respondent count and whether anything about the group may be shown."""

    count: int
    visible: bool


def group_aggregates(
    counts: Mapping[str, int], threshold: int, *, total_shown: bool
) -> dict[str, Aggregate]:
    visible = visible_groups(counts, threshold, total_shown=total_shown)
    return {group: Aggregate(count, group in visible) for group, count in counts.items()}


@dataclass(frozen=True)
class ScaleSummary:
    count: int
    mean: float  # rounded half up to one decimal place
    distribution: dict[int, int]  # scale value -> respondents, only values that were given


def scale_summary(values: Sequence[int], threshold: int) -> ScaleSummary | None:
    """Count, mean and distribution of scale answers; None when too few answered to show them."""
    return scale_summary_of(Counter(values), threshold)


def scale_summary_of(distribution: Mapping[int, int], threshold: int) -> ScaleSummary | None:
    """`scale_summary` of answers already counted: respondents per scale value."""
    count = sum(distribution.values())
    if not total_visible(count, threshold):
        return None
    return ScaleSummary(
        count=count,
        mean=_rounded_mean(sum(value * n for value, n in distribution.items()), count),
        distribution={value: n for value, n in sorted(distribution.items()) if n},
    )


def mean_to_one_decimal(values: Sequence[float]) -> float:
    return _rounded_mean(sum(values), len(values))


def _rounded_mean(total: float, count: int) -> float:
    # Decimal, because round() on a float turns 2.25 into 2.2.
    mean = Decimal(str(total)) / Decimal(count)
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def choice_summary(
    values: Sequence[str] | Sequence[Sequence[str]], options: Sequence[str], threshold: int
) -> dict[str, int] | None:
    """Respondents per option, in the order of `options`; None when too few answered.

    Each value is one respondent's answer: an option for a single choice, or a sequence of
    options for a multiple choice (an option picked twice counts once). Answers that are not
    among `options` are not counted.
    """
    return choice_summary_of([(answer, 1) for answer in values], options, threshold)


def choice_summary_of(
    answers: Iterable[tuple[str | Sequence[str], int]], options: Sequence[str], threshold: int
) -> dict[str, int] | None:
    """`choice_summary` of answers already counted: each distinct answer with how many gave it."""
    answers = list(answers)
    if not total_visible(sum(count for _, count in answers), threshold):
        return None
    tally: Counter[str] = Counter()
    for answer, count in answers:
        for option in _chosen_options(answer):
            tally[option] += count
    return {option: tally[option] for option in options}


def _chosen_options(answer: str | Sequence[str]) -> set[str]:
    return {answer} if isinstance(answer, str) else set(answer)


def change(baseline: ScaleSummary | None, evaluation: ScaleSummary | None) -> float | None:
    """Evaluation mean minus baseline mean, to one decimal; None if either is hidden."""
    if baseline is None or evaluation is None:
        return None
    return round(evaluation.mean - baseline.mean, 1)


@dataclass(frozen=True)
class PairedChange:
    """The change for the people who answered a question in both surveys: each person's
    evaluation answer minus their own baseline answer, averaged, with a 95% interval for that
    mean. `mean` is None when the figure is hidden, and `hidden_reason` says why."""

    count: int  # how many answered both
    mean: float | None = None  # one decimal, rounded half up
    low: float | None = None  # the 95% interval, one decimal; None when not computed
    high: float | None = None
    hidden_reason: str = ""

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None


def paired_change(
    before: Mapping[object, float],
    after: Mapping[object, float],
    threshold: int,
    *,
    interval: bool,
) -> PairedChange:
    """Pair the two surveys' answers by respondent (the keys) and average the differences.

    Hidden when fewer than the threshold answered both; and when some, but fewer than the
    threshold, answered only one of the two: the means of everyone who answered each survey are
    shown beside it, and the sums they imply minus the paired difference would leave a figure
    of those few alone. `interval` asks for the 95% t interval too (the report shows it).
    """
    both = set(before) & set(after)
    differences = Counter(after[key] - before[key] for key in both)
    return paired_change_of(
        differences, len(set(before) ^ set(after)), threshold, interval=interval
    )


def paired_change_of(
    differences: Mapping[float, int], only_one: int, threshold: int, *, interval: bool
) -> PairedChange:
    """`paired_change` of answers already paired and counted: how many of those who answered
    both gave each difference (evaluation minus baseline), and how many answered only one."""
    minimum = effective_threshold(threshold)
    both = sum(differences.values())
    if both < minimum:
        reason = (
            "Nobody answered both surveys."
            if not both
            else f"Fewer than {minimum} people answered both surveys."
        )
        return PairedChange(both, hidden_reason=reason)
    if only_one < minimum and only_one:
        return PairedChange(
            both,
            hidden_reason=f"Fewer than {minimum} people answered only one of the two surveys, "
            "and beside the figures of everyone who answered each it would reveal theirs.",
        )
    mean = _rounded_mean(sum(value * n for value, n in differences.items()), both)
    if not interval:
        return PairedChange(both, mean)
    low, high = mean_interval([value for value, n in differences.items() for _ in range(n)])
    return PairedChange(both, mean, _one_decimal(low), _one_decimal(high))


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> tuple[float, float]:
    """The t interval for the mean of at least two values (unrounded)."""
    if len(values) < 2:
        raise ValueError("An interval needs at least two values.")
    centre, spread = fmean(values), stdev(values)
    if spread == 0:
        return centre, centre
    half_width = student_t.quantile((1 + confidence) / 2, len(values) - 1) * spread
    half_width /= len(values) ** 0.5
    return centre - half_width, centre + half_width


def _one_decimal(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
