"""What reports adds to other apps' pages (registered in ReportsConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from programmes.models import GroupSession

from .selectors import analysis_pdf_of


def analysis_pdf_panel(
    request: HttpRequest, *, session: GroupSession, analysis: object, **_: Any
) -> dict[str, Any] | None:
    """On the analysis of themes as it went out: its PDF."""
    if analysis is None:
        return None
    return {"session": session, "report": analysis_pdf_of(session)}
