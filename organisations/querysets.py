"""Query helpers that any app's selectors use."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Model, Q, QuerySet, Window

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Head(Generic[M]):
    """The first rows of a list and how many it holds, from one query."""

    rows: list[M]
    total: int
    counted: dict[str, int]  # the totals of rows matching each of `also_count`'s conditions


def head_of(queryset: QuerySet[M], size: int, **also_count: Q) -> Head[M]:
    """The first `size` rows and the total (and totals under extra conditions), counted in the
    same query by window functions instead of a COUNT query each."""
    windows = {"_total": Window(Count("pk"))}
    windows |= {f"_{name}": Window(Count("pk", filter=q)) for name, q in also_count.items()}
    rows = list(queryset.annotate(**windows)[:size])
    first = rows[0] if rows else None
    return Head(
        rows=rows,
        total=first._total if first else 0,
        counted={name: getattr(first, f"_{name}") if first else 0 for name in also_count},
    )
