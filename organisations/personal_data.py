"""What each app holds about a person, for exporting it (GDPR articles 15 and 20) and erasing
it (article 17, and the retention period). Organisations knows none of the apps above: each
registers, in its AppConfig.ready, a function that exports and one that erases what it holds.

An exporter returns {section title: [records]}, each record a dict of JSON-friendly values. An
eraser is given an `Erasure`: one person everywhere in the organisation, or everyone in some
programmes (retention). It erases or anonymises what it holds and says how many rows it touched.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from .models import Organisation, User

Records = list[dict[str, Any]]
Exporter = Callable[[Organisation, User], dict[str, Records]]


@dataclass(frozen=True)
class Erasure:
    """Whose data goes: `person` alone (everywhere in the organisation, when `programme_ids`
    is None), or everyone in the programmes `programme_ids` (when `person` is None)."""

    organisation: Organisation
    person: User | None = None
    programme_ids: Collection[int] | None = None

    def rows(self, queryset: QuerySet, programme: str, *people: str) -> QuerySet:
        """The rows of `queryset` this erasure reaches. `programme` is the path from a row to its
        programme ("pair__programme"), `people` the paths to the person it belongs to (any of
        them: "author", "raised_by"); for everyone in the programmes, `people` do not narrow."""
        rows = queryset.filter(**{f"{programme}__organisation": self.organisation})
        if self.programme_ids is not None:
            rows = rows.filter(**{f"{programme}__in": list(self.programme_ids)})
        if self.person is not None and people:
            whose = Q()
            for path in people:
                whose |= Q(**{path: self.person})
            rows = rows.filter(whose)
        return rows


Eraser = Callable[[Erasure], int]


@dataclass(frozen=True)
class PersonalDataHolder:
    name: str
    export: Exporter
    erase: Eraser
    order: int


_holders: dict[str, PersonalDataHolder] = {}


def register_personal_data(name: str, *, export: Exporter, erase: Eraser, order: int = 100) -> None:
    """`order`: erasers run from the lowest; an app whose rows others point at erases last."""
    _holders[name] = PersonalDataHolder(name, export, erase, order)


def personal_data_holders() -> list[PersonalDataHolder]:
    return sorted(_holders.values(), key=lambda holder: (holder.order, holder.name))


def record(row: Model, *fields: str, **computed: Any) -> dict[str, Any]:
    """A row as an exported record: the named fields (a choice as its words) and computed ones."""
    exported: dict[str, Any] = {}
    for name in fields:
        display = getattr(row, f"get_{name}_display", None)
        exported[name] = display() if display is not None else getattr(row, name)
    exported.update(computed)
    return exported
