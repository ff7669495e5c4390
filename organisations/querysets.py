"""Query helpers that any app's selectors use."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Aggregate, Count, Model, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce

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


def aggregate_together(*parts: tuple[QuerySet, Mapping[str, Aggregate]]) -> dict[str, Any]:
    """What `queryset.aggregate(**aggregates)` gives for each part, read in one query.

    Each part becomes a one-row derived table (an aggregate with no GROUP BY has exactly one row)
    and the query selects them all: SELECT * FROM (part 1) CROSS JOIN (part 2) ... Meant for
    counts over plain filtered querysets; a part's names must not repeat another's."""
    selects: list[str] = []
    params: list[Any] = []
    names: list[str] = []
    figures: dict[str, Any] = {}
    for queryset, aggregates in parts:
        grouped = queryset.order_by().annotate(_one=Value(1)).values("_one")
        query = grouped.annotate(**aggregates).values(*aggregates).query
        try:
            sql, part_params = query.sql_with_params()
        except EmptyResultSet:  # e.g. a filter on an empty list: the aggregates of no rows
            figures |= {name: a.empty_result_set_value for name, a in aggregates.items()}
            continue
        selects.append(f"({sql}) AS part_{len(selects)}")
        params.extend(part_params)
        names.extend(aggregates)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {' CROSS JOIN '.join(selects)}", params)
            figures |= dict(zip(names, cursor.fetchone(), strict=True))
    return figures


def counted(rows: QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef to the outer row through `by`) there are, as
    a subquery: a count beside each row of a list without joining the rows and grouping them
    back, which would also work out every other subquery of the list once per joined row."""
    per_owner = rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_owner), Value(0))


def page_of(rows: QuerySet, number: object, *, per_page: int, count: int) -> Page:
    """The page `number` of `rows` (the last page for a number past it), given how many rows
    there are from a figure kept beside them, so the page costs no COUNT query of its own."""
    paginator = Paginator(rows, per_page)
    paginator.count = count  # stands in for the cached COUNT(*) the paginator would run
    return paginator.get_page(number)
