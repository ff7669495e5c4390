"""Student's t distribution's quantiles, in the standard library alone.

The report's paired change gives a 95% interval from Student's t. scipy's `stats.t` gave it at
the price of some 80 MiB and a second of imports in the worker that renders the report; the
quantile needs only the regularised incomplete beta function, which a continued fraction
evaluates to double precision (Lentz's method, as in Numerical Recipes, 6.4), and Newton's
method on it.
"""

from math import exp, lgamma, log, log1p, pi
from statistics import NormalDist

_PRECISION = 1e-15
_TINY = 1e-300
_MAX_TERMS = 500
_MAX_STEPS = 200
_STEP_PRECISION = 1e-13


def quantile(probability: float, degrees_of_freedom: float) -> float:
    """The t below which `probability` of the distribution lies, for 0.5 <= probability < 1."""
    if not 0.5 <= probability < 1:
        raise ValueError("The probability must be at least 0.5 and below 1.")
    if degrees_of_freedom <= 0:
        raise ValueError("The degrees of freedom must be positive.")
    if probability == 0.5:
        return 0.0
    # Newton's method from the normal quantile, kept inside a bracket that halves whenever a
    # step would leave it (the heavy tails of few degrees of freedom throw the first steps far).
    low, high = 0.0, 1.0
    while cdf(high, degrees_of_freedom) < probability:
        low, high = high, 2 * high
    t = min(max(NormalDist().inv_cdf(probability), low), high)
    for _ in range(_MAX_STEPS):
        miss = cdf(t, degrees_of_freedom) - probability
        if miss < 0:
            low = t
        else:
            high = t
        step = miss / density(t, degrees_of_freedom)
        following = t - step
        if not low < following < high:
            following = (low + high) / 2
        # The cdf itself is good to about 1e-15, so a step much smaller than that is noise.
        if (
            abs(following - t) <= _STEP_PRECISION * following
            or high - low <= _STEP_PRECISION * high
        ):
            return following
        t = following
    raise ArithmeticError("The t quantile did not converge.")


def density(t: float, degrees_of_freedom: float) -> float:
    half = (degrees_of_freedom + 1) / 2
    scale = lgamma(half) - lgamma(degrees_of_freedom / 2) - log(degrees_of_freedom * pi) / 2
    return exp(scale - half * log1p(t * t / degrees_of_freedom))


def cdf(t: float, degrees_of_freedom: float) -> float:
    """P(T <= t) for Student's t with the given degrees of freedom."""
    square = t * t
    if square < degrees_of_freedom:
        # Near the centre df / (df + t^2) rounds to 1 and would lose t, so take the mass
        # between -t and t from its complement, t^2 / (df + t^2), instead.
        centre = incomplete_beta(
            square / (degrees_of_freedom + square), 0.5, degrees_of_freedom / 2
        )
        return 0.5 + centre / 2 if t >= 0 else 0.5 - centre / 2
    tail = (
        incomplete_beta(
            degrees_of_freedom / (degrees_of_freedom + square), degrees_of_freedom / 2, 0.5
        )
        / 2
    )
    return 1 - tail if t >= 0 else tail


def incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
    # The continued fraction converges fast on this side of the mean; the symmetry
    # I_x(a, b) = 1 - I_(1-x)(b, a) covers the other.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1 - front * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    c, d = 1.0, _nonzero(1 - (a + b) * x / (a + 1))
    d = 1 / d
    fraction = d
    for m in range(1, _MAX_TERMS):
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 / _nonzero(1 + even * d)
        c = _nonzero(1 + even / c)
        fraction *= d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 / _nonzero(1 + odd * d)
        c = _nonzero(1 + odd / c)
        step = d * c
        fraction *= step
        if abs(step - 1) < _PRECISION:
            return fraction
    raise ArithmeticError("The incomplete beta's continued fraction did not converge.")


def _nonzero(value: float) -> float:
    return value if abs(value) > _TINY else _TINY
