"""What surveys add to other apps' pages (registered in SurveysConfig.ready)."""

from datetime import date
from typing import Any

from django.http import HttpRequest

from programmes.permissions import Perm

from .selectors import (
    audiences_of,
    open_surveys_unanswered,
    surveys_of,
    surveys_with_completion,
)


def surveys_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """On a programme home: the open surveys the person has yet to answer, and for those who
    read results, how far the open surveys have got (counts, never who)."""
    programme = request.programme
    audiences = audiences_of(request.programme_roles, request.programme_side)
    due = (
        list(open_surveys_unanswered(programme, request.user, audiences, today))
        if audiences
        else []
    )
    running = (
        surveys_with_completion(
            programme, surveys_of(programme).filter(opens_on__lte=today, closes_on__gte=today)
        )
        if Perm.SURVEY_RESULTS in request.programme_perms
        else []
    )
    return {"due": due, "running": running} if due or running else None
