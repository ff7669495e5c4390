"""Supervision: the supervisor's place in the pool, each referral from the day it was raised
through every step that followed, and the combined sessions the supervisor facilitates."""

from collections.abc import Callable
from typing import Any

from organisations.models import User
from pairs.models import Pair
from programmes.models import GroupSession, Programme
from supervision.models import Consent, Referral, Supervisor
from supervision.services import (
    consent_answer,
    group_facilitation_set,
    note_add,
    outcome_record,
    referral_accept,
    referral_assign,
    referral_decline,
    referral_raise,
    referral_route,
    session_book,
    supervisor_place,
)

from .clock import as_of
from .story import Data, Days

Step = Callable[[Referral, Data], Any]


def supervision_load(
    *, programme: Programme, plan: Data, days: Days, users: dict[str, User]
) -> None:
    data = plan.get("supervision")
    if data is None:
        return
    supervisor = supervisor_place(
        programme=programme,
        user=users[plan["supervisor"]],
        kind=data["kind"],
        capacity=data["capacity"],
        background=data["background"],
    )
    pairs = {
        pair.senior.email: pair
        for pair in Pair.objects.filter(programme=programme).select_related("senior", "junior")
    }
    steps = _steps(supervisor, users[plan["coordinator"]], days, users)
    for story in data.get("referral", []):
        referral = _raised(story, pairs, days, users)
        for step in story.get("step", []):
            with as_of(days.at(step["day"], step.get("time", "10:00"))):
                referral = Referral.objects.get(pk=referral.pk)
                steps[step["do"]](referral, step)
    for sequence in data.get("facilitates", []):
        session = GroupSession.objects.get(programme=programme, sequence=sequence)
        group_facilitation_set(session=session, facilitator=supervisor, external_facilitator="")


def _raised(story: Data, pairs: dict[str, Pair], days: Days, users: dict[str, User]) -> Referral:
    """A referral made from a pair's concern was raised with it (see `relationships`); any other
    is raised here, on its day."""
    if "from_concern_of" in story:
        return Referral.objects.get(concern__pair=pairs[story["from_concern_of"]])
    concerning = story["concerning"]
    with as_of(days.at(story["day"], "18:00")):
        return referral_raise(
            pair=pairs[story["pair"]],
            by=users[story["raised_by"]],
            raised_as=story["raised_as"],
            concerning="pair" if concerning == "pair" else "person",
            person=None if concerning == "pair" else users[concerning],
            text=story["text"],
            urgency=story["urgency"],
        )


def _steps(
    supervisor: Supervisor, coordinator: User, days: Days, users: dict[str, User]
) -> dict[str, Step]:
    """What each `do` of a referral's step does, and who does it."""
    by = supervisor.user
    return {
        "route": lambda r, step: referral_route(
            referral=r,
            by=coordinator,
            route=step["route"],
            note=step.get("note", ""),
            suits_group=step["route"] == "group",
            summary=step.get("summary", ""),
        ),
        "consent": lambda r, step: consent_answer(
            consent=Consent.objects.get(referral=r, user=users[step["by"]]),
            user=users[step["by"]],
            agreed=step["agreed"],
        ),
        "decline": lambda r, step: referral_decline(
            referral=r, by=coordinator, reason=step["reason"]
        ),
        "assign": lambda r, step: referral_assign(
            referral=r, supervisor=supervisor, by=coordinator
        ),
        "accept": lambda r, step: referral_accept(referral=r, by=by),
        "session": lambda r, step: session_book(
            referral=r,
            by=by,
            starts_at=days.at(step["on_day"], step["at"]),
            duration_minutes=step["minutes"],
            mode=step["mode"],
            place=step["place"],
        ),
        "note": lambda r, step: note_add(referral=r, author=by, text=step["text"]),
        "outcome": lambda r, step: outcome_record(
            referral=r, by=by, outcome=step["outcome"], close=step.get("close", False)
        ),
    }
