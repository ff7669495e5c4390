"""What surveys add to other apps' pages (registered in SurveysConfig.ready)."""

from datetime import date
from typing import Any

from django.http import HttpRequest

from programmes.permissions import Perm

from .selectors import surveys_for, surveys_with_completion


def surveys_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """On a programme home: the open surveys the person has yet to answer, and for those who
    read results, how far the open surveys have got (counts, never who)."""
    programme = request.programme
    due = [
        row.survey
        for row in surveys_for(programme, request.user)
        if row.survey.is_open(today) and not (row.response and row.response.submitted_at)
    ]
    running = (
        [row for row in surveys_with_completion(programme) if row.survey.is_open(today)]
        if Perm.SURVEY_RESULTS in request.programme_perms
        else []
    )
    return {"due": due, "running": running} if due or running else None
