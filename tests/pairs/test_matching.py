"""Properties of the pure matching engine in pairs.matching (no database)."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairs.matching import (
    UNKNOWN_ANSWER,
    Candidate,
    Constraints,
    Matching,
    Weights,
    explain,
    match,
    pair_allowed,
    pair_score,
    score_matrix,
)

SETTINGS = settings(max_examples=60, deadline=None)
TOLERANCE = 1e-9

# Small alphabets so that collisions (same department, same answer, ...) are common. Diversity
# answers and dimension names share no text with anything else, so a leak is detectable.
DEPARTMENTS = ["Finance", "Operations", ""]
FUNCTIONS = ["Sales", "Legal", ""]
LOCATIONS = ["Leeds", "London", ""]
DIMENSIONS = ["dim_gender", "dim_ethnicity", "dim_disability"]
ANSWERS = ["ans_alpha", "ans_beta", UNKNOWN_ANSWER]
SENIOR_KEYS = [f"s{i}" for i in range(5)]
JUNIOR_KEYS = [f"j{i}" for i in range(5)]


@st.composite
def candidates(draw, side: str, key: str, chain_keys: list[str]) -> Candidate:
    return Candidate(
        key=key,
        side=side,
        name=key.upper(),
        department=draw(st.sampled_from(DEPARTMENTS)),
        function=draw(st.sampled_from(FUNCTIONS)),
        location=draw(st.sampled_from(LOCATIONS)),
        grade=draw(st.none() | st.integers(1, 8)),
        manager_chain=tuple(draw(st.lists(st.sampled_from(chain_keys), max_size=2, unique=True))),
        diversity=draw(st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from(ANSWERS))),
    )


@st.composite
def cohorts(draw, max_size: int = 5) -> tuple[list[Candidate], list[Candidate], Constraints]:
    senior_keys = SENIOR_KEYS[: draw(st.integers(0, max_size))]
    junior_keys = JUNIOR_KEYS[: draw(st.integers(0, max_size))]
    everyone = SENIOR_KEYS + JUNIOR_KEYS
    seniors = [draw(candidates("senior", k, everyone)) for k in senior_keys]
    juniors = [draw(candidates("junior", k, everyone)) for k in junior_keys]
    all_pairs = [frozenset((s, j)) for s in senior_keys for j in junior_keys]
    never = (
        draw(st.frozensets(st.sampled_from(all_pairs), max_size=4)) if all_pairs else frozenset()
    )
    return seniors, juniors, Constraints(min_grade_gap=draw(st.integers(0, 3)), never=never)


weights_strategy = st.builds(
    Weights,
    diversity=st.floats(0, 5),
    department=st.floats(0, 5),
    function=st.floats(0, 5),
    location=st.floats(0, 5),
    grade_gap=st.floats(0, 5),
)


def by_key(people: list[Candidate]) -> dict[str, Candidate]:
    return {c.key: c for c in people}


def keys_in_pairs(matching: Matching) -> list[str]:
    return [key for p in matching.pairs for key in (p.senior, p.junior)]


def best_by_brute_force(seniors, juniors, weights, constraints) -> tuple[int, float]:
    """Best (number of pairs, total score) over every valid one-to-one matching."""
    best = (0, 0.0)

    def better(a: tuple[int, float], b: tuple[int, float]) -> bool:
        return a[0] > b[0] or (a[0] == b[0] and a[1] > b[1])

    def extend(i: int, used: frozenset[int], count: int, total: float) -> None:
        nonlocal best
        if i == len(seniors):
            if better((count, total), best):
                best = (count, total)
            return
        extend(i + 1, used, count, total)  # senior i stays unmatched
        for j, junior in enumerate(juniors):
            if j not in used and pair_allowed(seniors[i], junior, constraints):
                score = pair_score(seniors[i], junior, weights)
                extend(i + 1, used | {j}, count + 1, total + score)

    extend(0, frozenset(), 0, 0.0)
    return best


# 1. hard constraints


@SETTINGS
@given(cohorts(), weights_strategy)
def test_no_hard_constraint_is_ever_broken(cohort, weights):
    seniors, juniors, constraints = cohort
    result = match(seniors, juniors, weights, constraints)
    s_by_key, j_by_key = by_key(seniors), by_key(juniors)
    for pair in result.pairs:
        senior, junior = s_by_key[pair.senior], j_by_key[pair.junior]
        assert senior.key not in junior.manager_chain
        assert junior.key not in senior.manager_chain
        assert frozenset((senior.key, junior.key)) not in constraints.never
        if senior.grade is not None and junior.grade is not None:
            assert senior.grade - junior.grade >= constraints.min_grade_gap


def test_reporting_line_by_email_is_respected():
    boss = Candidate("s1", "senior", "Boss", email="Boss@Example.org")
    report = Candidate("j1", "junior", "Report", manager_chain=("boss@example.org",))
    assert not pair_allowed(boss, report, Constraints())
    assert match([boss], [report], Weights(), Constraints()).pairs == ()


# 2. locked pairs


@SETTINGS
@given(cohorts(), weights_strategy, st.data())
def test_locked_pairs_survive_a_rerun_unchanged(cohort, weights, data):
    seniors, juniors, constraints = cohort
    first = match(seniors, juniors, weights, constraints)
    to_lock = data.draw(
        st.lists(st.sampled_from(first.pairs), unique=True) if first.pairs else st.just([])
    )
    locks = [(p.senior, p.junior) for p in to_lock]
    shuffled_seniors = data.draw(st.permutations(seniors))
    rerun = match(shuffled_seniors, juniors, weights, constraints, locked=locks)
    for old in to_lock:
        kept = [p for p in rerun.pairs if old.senior in (p.senior, p.junior)]
        assert len(kept) == 1
        assert (kept[0].senior, kept[0].junior, kept[0].locked) == (old.senior, old.junior, True)
        assert math.isclose(kept[0].score, old.score, abs_tol=TOLERANCE)
        assert sum(old.junior in (p.senior, p.junior) for p in rerun.pairs) == 1
    assert sum(p.locked for p in rerun.pairs) == len(locks)
    assert match(seniors, juniors, weights, constraints, locked=locks) == rerun


def test_a_lock_that_breaks_a_hard_constraint_is_refused():
    senior = Candidate("s1", "senior", "S", grade=5)
    junior = Candidate("j1", "junior", "J", grade=5)
    with pytest.raises(ValueError, match="hard constraint"):
        match([senior], [junior], Weights(), Constraints(min_grade_gap=2), locked=[("s1", "j1")])
    with pytest.raises(ValueError, match="not in the cohort"):
        match([senior], [junior], Weights(), Constraints(), locked=[("s1", "j9")])


# 3. optimality


@SETTINGS
@given(cohorts(), weights_strategy)
def test_assignment_equals_the_brute_force_optimum(cohort, weights):
    seniors, juniors, constraints = cohort
    result = match(seniors, juniors, weights, constraints)
    best_count, best_total = best_by_brute_force(seniors, juniors, weights, constraints)
    assert len(result.pairs) == best_count
    assert math.isclose(result.total_score, best_total, rel_tol=0, abs_tol=TOLERANCE)


# 4. everyone at most once, unmatched lists exact


@SETTINGS
@given(cohorts(), weights_strategy, st.data())
def test_each_person_once_and_unmatched_lists_are_exact(cohort, weights, data):
    seniors, juniors, constraints = cohort
    result = match(seniors, juniors, weights, constraints)
    in_pairs = keys_in_pairs(result)
    assert len(in_pairs) == len(set(in_pairs))
    assert set(result.unmatched_seniors) == {c.key for c in seniors} - set(in_pairs)
    assert set(result.unmatched_juniors) == {c.key for c in juniors} - set(in_pairs)
    assert [p.senior for p in result.pairs] == sorted(p.senior for p in result.pairs)
    shuffled = match(
        data.draw(st.permutations(seniors)),
        data.draw(st.permutations(juniors)),
        weights,
        constraints,
    )
    assert shuffled == result


@SETTINGS
@given(cohorts(), weights_strategy)
def test_score_matrix_agrees_with_the_pairwise_functions(cohort, weights):
    seniors, juniors, constraints = cohort
    matrix = score_matrix(seniors, juniors, weights, constraints)
    assert matrix.shape == (len(seniors), len(juniors))
    for i, senior in enumerate(seniors):
        for j, junior in enumerate(juniors):
            if pair_allowed(senior, junior, constraints):
                assert math.isclose(
                    matrix[i, j], pair_score(senior, junior, weights), abs_tol=1e-12
                )
            else:
                assert matrix[i, j] == -np.inf


# 5. explanations never leak diversity


@SETTINGS
@given(cohorts(), st.booleans())
def test_explain_never_leaks_diversity(cohort, reveal):
    seniors, juniors, _ = cohort
    for senior in seniors:
        for junior in juniors:
            text = " | ".join(explain(senior, junior, reveal_diversity=reveal, limit=10)).lower()
            assert not any(answer.lower() in text for answer in ANSWERS)
            if not reveal:
                assert "divers" not in text
                assert not any(dim in text or dim.replace("_", " ") in text for dim in DIMENSIONS)


def test_explain_names_the_biggest_differences_first():
    senior = Candidate(
        "s1", "senior", "S", "Finance", "Audit", "Leeds", 8, diversity={"gender": "woman"}
    )
    junior = Candidate(
        "j1", "junior", "J", "Operations", "Audit", "London", 4, diversity={"gender": "man"}
    )
    assert explain(senior, junior, reveal_diversity=True) == [
        "Different backgrounds (from answers given in confidence)",
        "Different departments: Finance and Operations",
        "Different locations: Leeds and London",
    ]
    assert explain(senior, junior, reveal_diversity=False, limit=5) == [
        "Different departments: Finance and Operations",
        "Different locations: Leeds and London",
        "4 grades apart",
    ]


# 6. difference beats similarity


@SETTINGS
@given(
    st.sampled_from(DEPARTMENTS[:2]),
    st.sampled_from(FUNCTIONS[:2]),
    st.sampled_from(LOCATIONS[:2]),
    st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from(ANSWERS[:2]), min_size=1),
    st.none() | st.integers(1, 10),
)
def test_difference_scores_higher_than_similarity(department, function, location, answers, grade):
    def other(value: str, options: list[str]) -> str:
        return options[1 - options.index(value)]

    senior = Candidate("s", "senior", "S", department, function, location, grade, (), answers)
    alike = Candidate("a", "junior", "A", department, function, location, grade, (), answers)
    unlike = Candidate(
        "u",
        "junior",
        "U",
        other(department, DEPARTMENTS[:2]),
        other(function, FUNCTIONS[:2]),
        other(location, LOCATIONS[:2]),
        grade,
        (),
        {dim: other(answer, ANSWERS[:2]) for dim, answer in answers.items()},
    )
    assert pair_score(senior, unlike, Weights()) > pair_score(senior, alike, Weights())


def test_importing_the_engine_does_not_import_django():
    code = "import sys, pairs.matching; sys.exit('django' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
