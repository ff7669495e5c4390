"""Fixtures the organisation-level tests share with the apps above."""

from ..pairs.conftest import pair  # noqa: F401  (a published pair of `people`)
