"""Survey anonymity rules (pure functions, no database)."""

import subprocess
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.anonymity import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    Aggregate,
    FreeTextSummary,
    PairedChange,
    ScaleSummary,
    change,
    choice_summary,
    effective_threshold,
    free_text_summary,
    group_aggregates,
    mean_interval,
    paired_change,
    scale_summary,
    total_visible,
    visible_groups,
)

group_counts = st.dictionaries(
    st.sampled_from(["senior", "junior", "a", "b", "c", "d", "e"]),
    st.integers(min_value=0, max_value=30),
    max_size=7,
)
thresholds = st.integers(min_value=-2, max_value=12)


@given(group_counts, thresholds, st.booleans())
def test_no_visible_group_has_fewer_respondents_than_the_threshold(counts, threshold, total):
    for group in visible_groups(counts, threshold, total_shown=total):
        assert counts[group] >= effective_threshold(threshold)


@given(group_counts, thresholds)
def test_subtracting_visible_groups_from_the_total_never_reveals_a_small_group(counts, threshold):
    visible = visible_groups(counts, threshold, total_shown=True)
    hidden = sum(count for group, count in counts.items() if group not in visible)
    if total_visible(sum(counts.values()), threshold):
        assert hidden == 0 or hidden >= effective_threshold(threshold)
    else:
        # A total this small is itself hidden, and so is every part of it.
        assert not visible


@given(group_counts, thresholds)
def test_a_large_enough_group_is_hidden_only_when_subtraction_needs_it(counts, threshold):
    minimum = effective_threshold(threshold)
    assert visible_groups(counts, threshold, total_shown=False) == {
        group for group, count in counts.items() if count >= minimum
    }
    with_total = visible_groups(counts, threshold, total_shown=True)
    for group in set(counts) - with_total:
        if counts[group] >= minimum:
            # Showing this group too would leave a small, non-empty remainder.
            hidden_without_it = sum(
                count for name, count in counts.items() if name not in with_total | {group}
            )
            assert 0 < hidden_without_it < minimum


@pytest.mark.parametrize(
    ("counts", "total_shown", "expected"),
    [
        ({"senior": 10, "junior": 2}, True, set()),
        ({"senior": 10, "junior": 2}, False, {"senior"}),
        ({"a": 6, "b": 7, "c": 3}, True, {"b"}),
        ({"a": 6, "b": 7, "c": 3}, False, {"a", "b"}),
        ({"senior": 10, "junior": 0}, True, {"senior"}),
        ({"senior": 6, "junior": 6}, True, {"senior", "junior"}),
        ({"a": 6, "b": 6, "c": 1}, True, {"b"}),  # tie broken by name
        ({"a": 3, "b": 3, "c": 3}, True, set()),
        ({}, True, set()),
    ],
)
def test_visible_groups_examples(counts, total_shown, expected):
    assert visible_groups(counts, 5, total_shown=total_shown) == expected


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        visible_groups({"a": -1}, 5, total_shown=False)


def test_group_aggregates_mark_the_visible_groups():
    assert group_aggregates({"senior": 10, "junior": 2}, 5, total_shown=False) == {
        "senior": Aggregate(10, True),
        "junior": Aggregate(2, False),
    }


@given(st.integers(min_value=-100, max_value=100))
def test_effective_threshold_is_never_below_the_minimum(threshold):
    assert effective_threshold(threshold) >= MIN_THRESHOLD
    assert effective_threshold(threshold) == max(threshold, MIN_THRESHOLD)


def test_the_threshold_constants():
    assert (MIN_THRESHOLD, DEFAULT_THRESHOLD) == (3, 5)
    assert total_visible(3, 1) and not total_visible(2, 1)


# One respondent's free-text answer: (text, allowed it to be quoted).
free_texts = st.lists(
    st.tuples(st.sampled_from(["", "  ", "Politics", "politics", "Time", "x y"]), st.booleans()),
    max_size=20,
)


@given(free_texts, thresholds)
def test_only_answers_their_authors_allowed_are_ever_quoted(answers, threshold):
    summary = free_text_summary(answers, threshold)
    allowed = Counter(text for text, may_quote in answers if may_quote and text.strip())
    # Each quote is an allowed answer, and no text is quoted more often than authors allowed it.
    assert not Counter(summary.quotes) - allowed


@given(free_texts, thresholds)
def test_nothing_is_quoted_unless_the_threshold_wrote_an_answer(answers, threshold):
    summary = free_text_summary(answers, threshold)
    written = [text for text, _ in answers if text.strip()]
    assert summary.written == len(written)
    assert summary.quotable == sum(1 for text, may in answers if may and text.strip())
    assert summary.threshold == effective_threshold(threshold)
    if len(written) < effective_threshold(threshold):
        assert summary.quotes == ()
    else:
        assert len(summary.quotes) == summary.quotable


@given(free_texts, thresholds, st.randoms())
def test_the_order_of_quotes_says_nothing_of_who_wrote_them(answers, threshold, random):
    shuffled = list(answers)
    random.shuffle(shuffled)
    assert free_text_summary(shuffled, threshold) == free_text_summary(answers, threshold)


@given(free_texts, thresholds)
def test_why_nothing_is_quoted_is_said_exactly_when_nothing_is(answers, threshold):
    summary = free_text_summary(answers, threshold)
    assert bool(summary.why_none_quoted) == (summary.quotes == ())


def test_free_text_summary_examples():
    eleven = [("Politics", True)] * 2 + [("My manager, J. in Finance", False)] * 9
    assert free_text_summary(eleven, 5) == FreeTextSummary(11, 2, ("Politics", "Politics"), 5)
    four = [("Time", True)] * 4
    assert free_text_summary(four, 5).quotes == ()
    assert free_text_summary(four, 5).why_none_quoted == "Fewer than 5 people wrote an answer."
    none_allowed = free_text_summary([("Time", False)] * 6, 5)
    assert none_allowed.why_none_quoted == "Nobody allowed their answer to be quoted."
    assert free_text_summary([], 5).why_none_quoted == "Nobody wrote an answer."
    # Below the minimum threshold a programme cannot go: 3.
    assert free_text_summary([("a", True), ("b", True)], 1).quotes == ()


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=40), thresholds)
def test_scale_summary_hides_small_groups_and_summarises_the_rest(values, threshold):
    summary = scale_summary(values, threshold)
    if len(values) < effective_threshold(threshold):
        assert summary is None
        return
    assert summary is not None
    assert summary.count == len(values)
    exact = Decimal(sum(values)) / len(values)
    assert summary.mean == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert sum(summary.distribution.values()) == len(values)
    assert all(summary.distribution[value] == values.count(value) for value in set(values))


def test_scale_summary_example_rounds_half_up():
    assert scale_summary([1, 2, 2, 4], 3) == ScaleSummary(4, 2.3, {1: 1, 2: 2, 4: 1})
    assert scale_summary([5, 5, 4, 4], 5) is None


def test_choice_summary_counts_single_and_multiple_choices():
    options = ["yes", "no", "unsure"]
    assert choice_summary(["yes", "no", "yes"], options, 3) == {"yes": 2, "no": 1, "unsure": 0}
    multiple = [["yes", "no"], ["yes", "yes"], [], ["other"]]
    assert choice_summary(multiple, options, 3) == {"yes": 2, "no": 1, "unsure": 0}
    assert choice_summary(["yes", "no"], options, 3) is None


def test_change_is_the_mean_difference_unless_either_side_is_hidden():
    baseline = ScaleSummary(6, 3.1, {3: 6})
    evaluation = ScaleSummary(5, 4.0, {4: 5})
    assert change(baseline, evaluation) == 0.9
    assert change(None, evaluation) is None
    assert change(baseline, None) is None


# --- The change for those who answered both surveys ----------------------------------------------

T_975_4_DEGREES_OF_FREEDOM = 2.776445  # Student's t, two-sided 95%, from the printed tables


def test_the_paired_change_averages_each_persons_own_difference_with_a_t_interval():
    before = {1: 2, 2: 3, 3: 3, 4: 4, 5: 2}
    after = {1: 3, 2: 5, 3: 3, 4: 5, 5: 4}  # differences 1, 2, 0, 1, 2
    mean, variance = 1.2, (0.04 + 0.64 + 1.44 + 0.04 + 0.64) / 4
    half_width = T_975_4_DEGREES_OF_FREEDOM * (variance / 5) ** 0.5  # 1.0389
    low, high = mean_interval([1, 2, 0, 1, 2])
    assert low == pytest.approx(mean - half_width, abs=1e-5)
    assert high == pytest.approx(mean + half_width, abs=1e-5)
    found = paired_change(before, after, 5, interval=True)
    assert (found.count, found.mean, found.low, found.high) == (5, 1.2, 0.2, 2.2)
    assert found.has_interval and not found.hidden_reason
    # The web page asks for no interval.
    assert paired_change(before, after, 5, interval=False) == PairedChange(5, 1.2)


def test_a_different_set_of_respondents_makes_no_paired_change():
    """Five answered 2 at the baseline, five others 4 at the evaluation: the means moved by
    +2.0, but nobody changed."""
    before = {person: 2 for person in range(5)}
    after = {person: 4 for person in range(5, 10)}
    found = paired_change(before, after, 5, interval=True)
    assert (found.count, found.mean) == (0, None)
    assert found.hidden_reason == "Nobody answered both surveys."
    # Five who stayed at 3 and five newcomers at 5: the means moved, the people did not.
    stayed = paired_change(
        {p: 3 for p in range(5)},
        {**{p: 3 for p in range(5)}, **{p: 5 for p in range(5, 10)}},
        5,
        interval=True,
    )
    assert (stayed.count, stayed.mean, stayed.low, stayed.high) == (5, 0.0, 0.0, 0.0)


def test_the_paired_change_is_hidden_below_the_threshold_and_when_subtraction_would_tell():
    four = {p: 3 for p in range(4)}
    hidden = paired_change(four, {p: 4 for p in range(4)}, 5, interval=True)
    assert (hidden.count, hidden.mean, hidden.low) == (4, None, None)
    assert hidden.hidden_reason == "Fewer than 5 people answered both surveys."
    # Six answered both and one only the baseline: the baseline's sum minus the paired
    # evaluation's sum and difference would leave that one person's answer.
    one_more = paired_change({p: 3 for p in range(7)}, {p: 4 for p in range(6)}, 5, interval=True)
    assert (one_more.count, one_more.mean) == (6, None)
    assert "answered only one of the two surveys" in one_more.hidden_reason
    # A threshold below the minimum is clamped, as everywhere.
    assert paired_change(four, {p: 4 for p in range(4)}, 1, interval=False).mean == 1.0
    assert paired_change({1: 3, 2: 3}, {1: 4, 2: 4}, 1, interval=False).mean is None


def test_the_paired_change_without_its_interval_never_loads_scipy():
    """The results page asks for no interval: what it runs must not pull scipy in."""
    code = (
        "import sys, surveys.anonymity as a; "
        "a.paired_change({1: 2, 2: 3, 3: 4}, {1: 3, 2: 3, 3: 5}, 3, interval=False); "
        "sys.exit('scipy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
