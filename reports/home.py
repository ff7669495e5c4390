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
    return {"reports": list(reports_of(request.programme).order_by("-created_at")[:SHOWN])}
