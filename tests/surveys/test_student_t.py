"""Student's t quantiles in the standard library, checked against scipy (which the tests may
load: only the report's worker must not need it) and against the printed tables."""

import subprocess
import sys
from math import atan, pi
from pathlib import Path

import pytest
from scipy import stats

from surveys import student_t

DEGREES = [*range(1, 120), 150, 200, 299, 388, 479, 1000, 10_000, 0.5, 2.5]
PROBABILITIES = [0.6, 0.9, 0.95, 0.975, 0.995, 0.9995]


@pytest.mark.parametrize("degrees", DEGREES)
def test_the_quantiles_are_scipys_to_nine_figures(degrees):
    for probability in PROBABILITIES:
        expected = stats.t.ppf(probability, degrees)
        assert student_t.quantile(probability, degrees) == pytest.approx(expected, rel=1e-9)


def test_the_quantiles_are_the_printed_tables():
    printed = {1: 12.706, 2: 4.303, 4: 2.776, 10: 2.228, 30: 2.042, 120: 1.980}
    for degrees, value in printed.items():
        assert round(student_t.quantile(0.975, degrees), 3) == value
    assert student_t.quantile(0.5, 7) == 0.0


def test_the_cdf_is_exact_for_one_degree_of_freedom_near_the_centre():
    """With one degree of freedom t is Cauchy: P(T <= t) = 1/2 + atan(t) / pi, also where
    df / (df + t^2) would round to 1."""
    for t in (-1e-9, -1e-6, 0.0, 1e-6, 0.3, 5.0, 1e6):
        assert student_t.cdf(t, 1) == pytest.approx(0.5 + atan(t) / pi, rel=1e-13, abs=1e-16)


def test_the_quantile_asks_for_the_upper_half():
    with pytest.raises(ValueError):
        student_t.quantile(0.4, 5)
    with pytest.raises(ValueError):
        student_t.quantile(1.0, 5)
    with pytest.raises(ValueError):
        student_t.quantile(0.975, 0)


def test_the_interval_never_loads_scipy():
    """The report's worker computes every paired change's interval without scipy (80 MiB)."""
    code = (
        "import sys, surveys.anonymity as a; "
        "print(a.mean_interval([1, 2, 0, 1, 2])); "
        "sys.exit('scipy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
