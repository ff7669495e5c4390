"""What reports add to a programme home (registered in ReportsConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from programmes.permissions import Perm

from .selectors import reports_of

SHOWN = 3


def reports_home(request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    """For whoever requests reports (the executive sponsor first): the latest ones."""
    if Perm.REQUEST_REPORT not in request.programme_perms:
        return None
    latest = reports_of(request.programme).order_by("-created_at")
    # What the panel shows of each: its kind, when it was asked for and where it stands.
    shown = latest.select_related(None).only("kind", "created_at", "status")
    return {"reports": list(shown[:SHOWN])}
