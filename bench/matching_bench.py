"""Times scoring plus assignment for a realistic 500 x 500 cohort against a bare scipy baseline.

Run from the repository root: .venv/bin/python bench/matching_bench.py
"""

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

# The repository root, so that `pairs.matching` imports when run as a script.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pairs.matching import (
    UNKNOWN_ANSWER,
    Candidate,
    Constraints,
    Weights,
    match,
    score_matrix,
)

SIZE = 500
RUNS = 5
TARGET_SECONDS = 0.5  # the architecture guide's budget
SEED = 20240601

DEPARTMENTS = [
    "Finance",
    "Operations",
    "HR",
    "IT",
    "Legal",
    "Marketing",
    "Sales",
    "Procurement",
    "Risk",
    "Strategy",
    "Customer Service",
    "Research",
]
FUNCTIONS = ["Analyst", "Manager", "Engineer", "Adviser", "Specialist", "Lead", "Officer", "Admin"]
LOCATIONS = ["London", "Leeds", "Manchester", "Bristol", "Glasgow", "Cardiff", "Belfast", "Remote"]
DIVERSITY = {
    "gender": ["woman", "man", "non_binary"],
    "ethnicity": ["asian", "black", "mixed", "white", "other"],
    "disability": ["yes", "no"],
    "sexual_orientation": ["heterosexual", "gay_or_lesbian", "bisexual", "other"],
    "age_band": ["under_30", "30_44", "45_59", "60_plus"],
    "caring_responsibilities": ["yes", "no"],
    "social_background": ["professional", "intermediate", "working_class"],
    "first_generation_graduate": ["yes", "no", "not_a_graduate"],
}


def diversity_answers(rng: random.Random) -> dict[str, str]:
    dimensions = rng.sample(sorted(DIVERSITY), rng.randint(5, 8))
    return {
        dim: UNKNOWN_ANSWER if rng.random() < 0.1 else rng.choice(DIVERSITY[dim])
        for dim in dimensions
    }


def manager_chain(manager: str | None, chains: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return () if manager is None else (manager, *chains[manager])


def build_seniors(rng: random.Random) -> list[Candidate]:
    """Highest grade first, so everyone's manager (a more senior senior) is built before them."""
    grades = sorted((rng.randint(5, 10) for _ in range(SIZE)), reverse=True)
    seniors: list[Candidate] = []
    chains: dict[str, tuple[str, ...]] = {}
    for i, grade in enumerate(grades):
        key = f"senior:{i}"
        above = [c.key for c in seniors if c.grade is not None and c.grade > grade]
        chains[key] = manager_chain(rng.choice(above) if above else None, chains)
        seniors.append(candidate(rng, key, "senior", grade, chains[key]))
    return seniors


def build_juniors(rng: random.Random, seniors: list[Candidate]) -> list[Candidate]:
    chains = {s.key: s.manager_chain for s in seniors}
    return [
        candidate(
            rng,
            f"junior:{i}",
            "junior",
            rng.randint(1, 6),
            manager_chain(rng.choice(seniors).key, chains),
        )
        for i in range(SIZE)
    ]


def candidate(
    rng: random.Random, key: str, side: str, grade: int | None, chain: tuple[str, ...]
) -> Candidate:
    return Candidate(
        key=key,
        side=side,
        name=key.title(),
        department=rng.choice(DEPARTMENTS),
        function=rng.choice(FUNCTIONS),
        location=rng.choice(LOCATIONS),
        grade=None if rng.random() < 0.03 else grade,
        manager_chain=chain,
        diversity=diversity_answers(rng),
    )


def never_pairs(rng: random.Random, seniors, juniors, count: int = 200) -> frozenset:
    return frozenset(
        frozenset((rng.choice(seniors).key, rng.choice(juniors).key)) for _ in range(count)
    )


def best_time(run: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def rows() -> list[dict[str, object]]:
    """For `make bench`: matching 500 x 500 (scoring and assignment) against one bare
    assignment of a random matrix of the same size; the goal is the architecture guide's 0.5 s."""
    rng = random.Random(SEED)
    seniors = build_seniors(rng)
    juniors = build_juniors(rng, seniors)
    constraints = Constraints(min_grade_gap=2, never=never_pairs(rng, seniors, juniors))
    end_to_end = best_time(lambda: match(seniors, juniors, Weights(), constraints))
    matrix = np.random.default_rng(SEED).random((SIZE, SIZE))
    baseline = best_time(lambda: linear_sum_assignment(matrix))
    return [
        {
            "measure": f"matching {SIZE} x {SIZE}, scoring and assignment",
            "baseline": f"{1000 * baseline:.0f} ms",
            "value": f"{1000 * end_to_end:.0f} ms",
            "ratio": end_to_end / baseline,
            "goal": f"< {TARGET_SECONDS:g} s",
            "holds": end_to_end < TARGET_SECONDS,
        }
    ]


def main() -> None:
    rng = random.Random(SEED)
    seniors = build_seniors(rng)
    juniors = build_juniors(rng, seniors)
    weights = Weights()
    constraints = Constraints(min_grade_gap=2, never=never_pairs(rng, seniors, juniors))

    scoring = best_time(lambda: score_matrix(seniors, juniors, weights, constraints))
    end_to_end = best_time(lambda: match(seniors, juniors, weights, constraints))

    random_matrix = np.random.default_rng(SEED).random((SIZE, SIZE))
    start = time.perf_counter()
    linear_sum_assignment(random_matrix)
    baseline = time.perf_counter() - start

    result = match(seniors, juniors, weights, constraints)
    allowed = np.isfinite(score_matrix(seniors, juniors, weights, constraints)).mean()
    print(f"cohort: {SIZE} seniors x {SIZE} juniors, {allowed:.1%} of pairs allowed")
    print(f"pairs: {len(result.pairs)}, total score {result.total_score:.1f}")
    print(f"score_matrix alone (best of {RUNS}):          {scoring:.3f} s")
    print(f"match incl. scoring (best of {RUNS}):         {end_to_end:.3f} s")
    print(f"baseline: one linear_sum_assignment {SIZE}x{SIZE}: {baseline:.3f} s")
    print(f"ratio match / baseline: {end_to_end / baseline:.1f}x")
    met = "met" if end_to_end < TARGET_SECONDS else "NOT met"
    print(f"target < {TARGET_SECONDS:g} s for scoring plus assignment: {met}")
    print(f"django imported: {'django' in sys.modules}")


if __name__ == "__main__":
    main()
