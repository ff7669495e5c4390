"""Matching engine for reciprocal mentoring: pairs senior leaders with junior colleagues.

Reciprocal mentoring pairs co-learning equals, so a pair scores higher the more its two people
differ in experience and perspective. Hard constraints (reporting line, minimum grade gap,
never-pairs) are never broken, even when that leaves people unmatched.

Pure functions on plain data: stdlib, numpy and scipy only, no Django.

`score_matrix` marks a pair that may not be made with `-inf` (see `FORBIDDEN`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum

import numpy as np
from scipy.optimize import linear_sum_assignment

SENIOR = "senior"
JUNIOR = "junior"
UNKNOWN_ANSWER = "prefer_not_to_say"
MAX_SCORED_GRADE_GAP = 6
FORBIDDEN = -np.inf


@dataclass(frozen=True)
class Candidate:
    key: str
    side: str
    name: str
    department: str = ""
    function: str = ""
    location: str = ""
    grade: int | None = None
    # Keys (or e-mails, see `email`) of everyone above them in their reporting line, nearest first.
    manager_chain: tuple[str, ...] = ()
    # Only consented answers; UNKNOWN_ANSWER (or blank) counts as unknown.
    diversity: Mapping[str, str] = field(default_factory=dict)
    # Optional: lets other people's manager_chain name this person by e-mail instead of key.
    email: str = ""


@dataclass(frozen=True)
class Weights:
    diversity: float = 3.0
    department: float = 2.0
    function: float = 1.0
    location: float = 1.0
    grade_gap: float = 1.0

    def __post_init__(self) -> None:
        for weight in fields(self):
            if not math.isfinite(getattr(self, weight.name)):
                raise ValueError(f"weight {weight.name} must be a finite number")


@dataclass(frozen=True)
class Constraints:
    min_grade_gap: int = 0
    never: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class ProposedPair:
    senior: str
    junior: str
    score: float
    locked: bool = False


@dataclass(frozen=True)
class Matching:
    pairs: tuple[ProposedPair, ...]
    unmatched_seniors: tuple[str, ...]
    unmatched_juniors: tuple[str, ...]

    @property
    def total_score(self) -> float:
        return math.fsum(pair.score for pair in self.pairs)


# --- one pair at a time -------------------------------------------------------------------


def _normalised(value: str) -> str:
    return value.strip().casefold()


def _known(value: str) -> bool:
    return _normalised(value) not in ("", UNKNOWN_ANSWER)


def _differs(a: str, b: str) -> bool:
    """True only when both are known and differ: an unknown value is no evidence of difference."""
    return _known(a) and _known(b) and _normalised(a) != _normalised(b)


def _identities(candidate: Candidate) -> set[str]:
    ids = {candidate.key}
    if candidate.email.strip():
        ids.add(_normalised(candidate.email))
    return ids


def _chain_identities(candidate: Candidate) -> set[str]:
    return {form for entry in candidate.manager_chain for form in (entry, _normalised(entry))}


def same_reporting_line(senior: Candidate, junior: Candidate) -> bool:
    return bool(
        _identities(senior) & _chain_identities(junior)
        or _identities(junior) & _chain_identities(senior)
    )


def grade_gap(senior: Candidate, junior: Candidate) -> int | None:
    if senior.grade is None or junior.grade is None:
        return None
    return senior.grade - junior.grade


class HardRule(StrEnum):
    """A rule no pair may break, whoever makes the pair: the engine, a swap or a coordinator."""

    SAME_PERSON = "same person"
    REPORTING_LINE = "same reporting line"
    NEVER_PAIR = "never pair"
    MIN_GRADE_GAP = "minimum grade gap"


def blocking_rule(
    senior: Candidate, junior: Candidate, constraints: Constraints
) -> HardRule | None:
    """The first hard rule that forbids pairing these two, or None when they may be paired."""
    gap = grade_gap(senior, junior)
    if senior.key == junior.key:
        return HardRule.SAME_PERSON
    if same_reporting_line(senior, junior):
        return HardRule.REPORTING_LINE
    if frozenset((senior.key, junior.key)) in constraints.never:
        return HardRule.NEVER_PAIR
    if gap is not None and gap < constraints.min_grade_gap:
        return HardRule.MIN_GRADE_GAP
    return None


def pair_allowed(senior: Candidate, junior: Candidate, constraints: Constraints) -> bool:
    return blocking_rule(senior, junior, constraints) is None


def _in_grades(count: int) -> str:
    return f"{count} grade{'s' * (count != 1)}"


def _grade_gap_words(senior: Candidate, junior: Candidate, min_grade_gap: int) -> str:
    gap = grade_gap(senior, junior) or 0
    if gap > 0:
        where = f"only {_in_grades(gap)} above"
    elif gap < 0:
        where = f"{_in_grades(-gap)} below"
    else:
        where = "at the same grade as"
    if min_grade_gap <= 0:
        rule = "a senior partner is never graded below their junior partner"
    else:
        rule = f"the minimum grade gap is {_in_grades(min_grade_gap)}"
    return f"{senior.name} is {where} {junior.name}, and {rule}."


def refusal_reason(senior: Candidate, junior: Candidate, constraints: Constraints) -> str:
    """Why these two may not be paired, in plain words naming them; empty when they may."""
    s, j = senior.name, junior.name
    match blocking_rule(senior, junior, constraints):
        case HardRule.SAME_PERSON:
            return f"{s} cannot be paired with themselves."
        case HardRule.REPORTING_LINE:
            return f"{s} and {j} are in the same reporting line."
        case HardRule.NEVER_PAIR:
            return f"{s} and {j} are marked never to be paired."
        case HardRule.MIN_GRADE_GAP:
            return _grade_gap_words(senior, junior, constraints.min_grade_gap)
    return ""


class BrokenLock(ValueError):
    """A locked pair that a hard rule forbids; `reason` says which, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"a locked pair breaks a hard constraint: {reason}")
        self.reason = reason


def _known_answers(candidate: Candidate) -> dict[str, str]:
    return {dim: _normalised(v) for dim, v in candidate.diversity.items() if _known(v)}


def differing_diversity_dimensions(senior: Candidate, junior: Candidate) -> list[str]:
    """Names (never answers) of the dimensions both answered differently, sorted."""
    s_answers, j_answers = _known_answers(senior), _known_answers(junior)
    return sorted(d for d in s_answers.keys() & j_answers.keys() if s_answers[d] != j_answers[d])


def diversity_difference(senior: Candidate, junior: Candidate) -> float:
    """Share (0..1) of the dimensions both answered on which they differ."""
    shared = _known_answers(senior).keys() & _known_answers(junior).keys()
    if not shared:
        return 0.0
    return len(differing_diversity_dimensions(senior, junior)) / len(shared)


def grade_gap_fraction(senior: Candidate, junior: Candidate) -> float:
    """0..1; a senior graded below the junior earns nothing rather than a penalty."""
    gap = grade_gap(senior, junior)
    if gap is None:
        return 0.0
    return min(max(gap, 0), MAX_SCORED_GRADE_GAP) / MAX_SCORED_GRADE_GAP


def pair_score(senior: Candidate, junior: Candidate, weights: Weights) -> float:
    # Same terms in the same order as score_matrix, so both give bit-identical results.
    return (
        weights.diversity * diversity_difference(senior, junior)
        + weights.department * _differs(senior.department, junior.department)
        + weights.function * _differs(senior.function, junior.function)
        + weights.location * _differs(senior.location, junior.location)
        + weights.grade_gap * grade_gap_fraction(senior, junior)
    )


# --- whole cohort at once (vectorised) ----------------------------------------------------


def _check_cohort(seniors: Sequence[Candidate], juniors: Sequence[Candidate]) -> None:
    for side, group in ((SENIOR, seniors), (JUNIOR, juniors)):
        wrong = [c.key for c in group if c.side != side]
        if wrong:
            raise ValueError(f"not on the {side} side: {wrong}")
        keys = [c.key for c in group]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate {side} keys")


def _category_codes(
    senior_values: Sequence[str], junior_values: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per normalised value, shared by both sides; -1 for unknown."""
    codes: dict[str, int] = {}

    def encode(values: Sequence[str]) -> np.ndarray:
        return np.array(
            [codes.setdefault(_normalised(v), len(codes)) if _known(v) else -1 for v in values],
            dtype=np.int64,
        )

    return encode(senior_values), encode(junior_values)


def _known_and_different(senior_codes: np.ndarray, junior_codes: np.ndarray) -> np.ndarray:
    s, j = senior_codes[:, None], junior_codes[None, :]
    return (s >= 0) & (j >= 0) & (s != j)


def _attribute_difference(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate], attribute: str
) -> np.ndarray:
    codes = _category_codes(
        [getattr(c, attribute) for c in seniors], [getattr(c, attribute) for c in juniors]
    )
    return _known_and_different(*codes)


def _diversity_difference_matrix(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate]
) -> np.ndarray:
    s_answers = [_known_answers(c) for c in seniors]
    j_answers = [_known_answers(c) for c in juniors]
    dimensions = set().union(*s_answers) & set().union(*j_answers)
    shared = np.zeros((len(seniors), len(juniors)), dtype=np.int64)
    differing = np.zeros_like(shared)
    for dim in sorted(dimensions):
        s_codes, j_codes = _category_codes(
            [a.get(dim, "") for a in s_answers], [a.get(dim, "") for a in j_answers]
        )
        shared += (s_codes[:, None] >= 0) & (j_codes[None, :] >= 0)
        differing += _known_and_different(s_codes, j_codes)
    return np.divide(differing, shared, out=np.zeros(shared.shape), where=shared > 0)


def _grades(candidates: Sequence[Candidate]) -> np.ndarray:
    return np.array([np.nan if c.grade is None else c.grade for c in candidates], dtype=float)


def _grade_gap_matrix(seniors: Sequence[Candidate], juniors: Sequence[Candidate]) -> np.ndarray:
    """senior grade minus junior grade; NaN where either is unknown."""
    return _grades(seniors)[:, None] - _grades(juniors)[None, :]


def _index_by_identity(candidates: Sequence[Candidate]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        for identity in _identities(candidate):
            index.setdefault(identity, []).append(i)
    return index


def _reporting_line_conflicts(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate]
) -> Iterable[tuple[int, int]]:
    senior_index, junior_index = _index_by_identity(seniors), _index_by_identity(juniors)
    for i, senior in enumerate(seniors):
        for identity in _chain_identities(senior):
            for j in junior_index.get(identity, ()):
                yield i, j
    for j, junior in enumerate(juniors):
        for identity in _chain_identities(junior):
            for i in senior_index.get(identity, ()):
                yield i, j


def _explicit_bans(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate], constraints: Constraints
) -> Iterable[tuple[int, int]]:
    senior_at = {c.key: i for i, c in enumerate(seniors)}
    junior_at = {c.key: j for j, c in enumerate(juniors)}
    for key in senior_at.keys() & junior_at.keys():
        yield senior_at[key], junior_at[key]
    for banned in constraints.never:
        for a in banned:
            for b in banned:
                if a in senior_at and b in junior_at:
                    yield senior_at[a], junior_at[b]


def allowed_matrix(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate], constraints: Constraints
) -> np.ndarray:
    """Boolean seniors x juniors matrix, cell for cell equal to pair_allowed."""
    with np.errstate(invalid="ignore"):
        too_close = _grade_gap_matrix(seniors, juniors) < constraints.min_grade_gap
    allowed = ~too_close  # NaN (unknown grade) compares False, so it stays allowed
    for i, j in _reporting_line_conflicts(seniors, juniors):
        allowed[i, j] = False
    for i, j in _explicit_bans(seniors, juniors, constraints):
        allowed[i, j] = False
    return allowed


def score_matrix(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    weights: Weights,
    constraints: Constraints,
) -> np.ndarray:
    """seniors x juniors float matrix of pair_score, with FORBIDDEN (-inf) where not allowed."""
    _check_cohort(seniors, juniors)
    gap_fraction = np.nan_to_num(
        np.clip(_grade_gap_matrix(seniors, juniors), 0, MAX_SCORED_GRADE_GAP) / MAX_SCORED_GRADE_GAP
    )
    scores = (
        weights.diversity * _diversity_difference_matrix(seniors, juniors)
        + weights.department * _attribute_difference(seniors, juniors, "department")
        + weights.function * _attribute_difference(seniors, juniors, "function")
        + weights.location * _attribute_difference(seniors, juniors, "location")
        + weights.grade_gap * gap_fraction
    )
    return np.where(allowed_matrix(seniors, juniors, constraints), scores, FORBIDDEN)


# --- assignment ---------------------------------------------------------------------------


def _resolve_locks(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    weights: Weights,
    constraints: Constraints,
    locked: Iterable[tuple[str, str]],
) -> list[ProposedPair]:
    """Locked pairs as given; raises ValueError rather than keep one that breaks a constraint."""
    senior_by_key = {c.key: c for c in seniors}
    junior_by_key = {c.key: c for c in juniors}
    pairs: list[ProposedPair] = []
    taken: set[str] = set()
    for senior_key, junior_key in dict.fromkeys(locked):
        senior, junior = senior_by_key.get(senior_key), junior_by_key.get(junior_key)
        if senior is None or junior is None:
            raise ValueError(f"locked pair {senior_key}/{junior_key} is not in the cohort")
        if {senior_key, junior_key} & taken:
            raise ValueError(f"locked pair {senior_key}/{junior_key} reuses a locked person")
        if reason := refusal_reason(senior, junior, constraints):
            raise BrokenLock(reason)
        taken |= {senior_key, junior_key}
        pairs.append(
            ProposedPair(senior_key, junior_key, pair_score(senior, junior, weights), True)
        )
    return pairs


def _assign(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    weights: Weights,
    constraints: Constraints,
) -> list[ProposedPair]:
    """Most allowed pairs first, then the highest total score among those."""
    if not seniors or not juniors:
        return []
    scores = score_matrix(seniors, juniors, weights, constraints)
    allowed = np.isfinite(scores)
    if not allowed.any():
        return []
    # Two matchings' totals can differ by at most 2 * pairs * max|score| < BIG, so one more
    # allowed pair always outweighs any score difference: the objective is lexicographic.
    big = 1.0 + 2.0 * min(scores.shape) * float(np.abs(scores[allowed]).max())
    value = np.where(allowed, scores + big, 0.0)
    rows, cols = linear_sum_assignment(value, maximize=True)
    return [
        ProposedPair(seniors[i].key, juniors[j].key, float(scores[i, j]))
        for i, j in zip(rows, cols, strict=True)
        if allowed[i, j]
    ]


def _by_key(candidates: Iterable[Candidate], excluding: set[str]) -> list[Candidate]:
    # Sorting makes tie-breaks, and so the result, independent of the input order.
    return sorted((c for c in candidates if c.key not in excluding), key=lambda c: c.key)


def match(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    weights: Weights,
    constraints: Constraints,
    locked: Iterable[tuple[str, str]] = (),
) -> Matching:
    _check_cohort(seniors, juniors)
    locked_pairs = _resolve_locks(seniors, juniors, weights, constraints, locked)
    taken = {key for p in locked_pairs for key in (p.senior, p.junior)}
    free_seniors, free_juniors = _by_key(seniors, taken), _by_key(juniors, taken)
    pairs = locked_pairs + _assign(free_seniors, free_juniors, weights, constraints)
    paired = {key for p in pairs for key in (p.senior, p.junior)}
    return Matching(
        pairs=tuple(sorted(pairs, key=lambda p: p.senior)),
        unmatched_seniors=tuple(c.key for c in _by_key(seniors, paired)),
        unmatched_juniors=tuple(c.key for c in _by_key(juniors, paired)),
    )


# --- explanation --------------------------------------------------------------------------


def _difference_reasons(
    senior: Candidate, junior: Candidate, weights: Weights, reveal_diversity: bool
) -> list[tuple[float, str]]:
    """(weighted contribution, words) per way the pair differs."""
    reasons: list[tuple[float, str]] = []
    for attribute, plural, weight in (
        ("department", "departments", weights.department),
        ("function", "functions", weights.function),
        ("location", "locations", weights.location),
    ):
        s_value, j_value = getattr(senior, attribute), getattr(junior, attribute)
        if _differs(s_value, j_value):
            reasons.append((weight, f"Different {plural}: {s_value.strip()} and {j_value.strip()}"))
    gap = grade_gap(senior, junior)
    if gap is not None and gap > 0:
        fraction = grade_gap_fraction(senior, junior)
        reasons.append((weights.grade_gap * fraction, f"{gap} grade{'s' * (gap != 1)} apart"))
    if reveal_diversity and differing_diversity_dimensions(senior, junior):
        contribution = weights.diversity * diversity_difference(senior, junior)
        # Not even the dimensions are named: with yes/no questions, "different disability"
        # would tell someone who knows one partner's answer the other's.
        reasons.append((contribution, "Different backgrounds (from answers given in confidence)"))
    return [reason for reason in reasons if reason[0] > 0]  # what the weights say counts


def explain(
    senior: Candidate,
    junior: Candidate,
    *,
    reveal_diversity: bool,
    limit: int = 3,
    weights: Weights = Weights(),  # frozen, so a shared default is safe
) -> list[str]:
    """The pair's largest differences in words, biggest contribution to the score first.

    reveal_diversity is for coordinators only; without it diversity is not mentioned at all.
    """
    reasons = _difference_reasons(senior, junior, weights, reveal_diversity)
    reasons.sort(key=lambda reason: -reason[0])  # stable: ties keep a fixed order
    return [text for _, text in reasons[: max(limit, 0)]]
