"""The organisation's hard measures: the figures the purpose named, as the coordinator recorded
them on the day after each was taken."""

from decimal import Decimal

from programmes.models import Programme, SuccessMeasure
from surveys.services import hard_measure_save

from .clock import as_of
from .story import Data, Days


def hard_measures_load(*, programme: Programme, plan: Data, days: Days) -> None:
    shows = {m.text: m for m in SuccessMeasure.objects.filter(programme=programme)}
    for spec in plan.get("hard_measure", []):
        values = {
            "name": spec["name"],
            "success_measure": shows[spec["measure"]] if "measure" in spec else None,
            "group": spec["group"],
            "group_detail": spec.get("group_detail", ""),
            "unit": spec["unit"],
            "before_value": Decimal(str(spec["before"])),
            "before_on": days.date(spec["before_day"]),
            "source": spec["source"],
            "note": spec.get("note", ""),
        }
        if "after" in spec:
            values["after_value"] = Decimal(str(spec["after"]))
            values["after_on"] = days.date(spec["after_day"])
        recorded = spec.get("after_day", spec["before_day"]) + 1
        with as_of(days.at(recorded, "16:30")):
            hard_measure_save(programme=programme, values=values)
