"""The relationships once the pairs were published: stewards, agreements, goals, meetings with
their pulses and private reflections, steering check-ins, concerns; and, last, how pairs ended."""

from organisations.models import User
from pairs.models import Pair
from pairs.services import (
    agreement_confirm,
    agreement_propose,
    checkin_log,
    concern_act,
    concern_raise,
    goal_add,
    meeting_log,
    pair_status_set,
    pair_steward_set,
    pulse_record,
    reflection_save,
)
from programmes.models import Programme

from .clock import as_of
from .story import Data, Days

AGREEMENT_FIELDS = ("meeting_frequency", "meeting_place", "confidentiality", "ground_rules")
PULSE_ITEMS = ("spoke_openly", "learned", "partner_learned", "going")
OTHER_SIDE = {"senior": "junior", "junior": "senior"}


def relationships_load(
    *, programme: Programme, plan: Data, days: Days, users: dict[str, User]
) -> None:
    pairs = {
        pair.senior.email: pair
        for pair in Pair.objects.filter(programme=programme).select_related("senior", "junior")
    }
    coordinator = users[plan["coordinator"]]
    for story in plan["pair"]:
        pair = pairs[story["senior"]]
        partners = {"senior": users[story["senior"]], "junior": users[story["junior"]]}
        pair_steward_set(pair=pair, steering_member=users[story["steward"]])
        _agreements(pair, story, days, partners)
        _meetings(pair, story, days, partners)
        for checkin in story.get("checkin", []):
            day = days.working_day(checkin["day"])
            with as_of(days.on(day, "15:00")):
                checkin_log(
                    pair=pair,
                    by=users[story["steward"]],
                    day=day,
                    status=checkin["status"],
                    note=checkin["note"],
                )
        if "concern" in story:
            _concern(pair, story["concern"], days, partners, coordinator)


def endings_load(*, programme: Programme, plan: Data, days: Days, users: dict[str, User]) -> None:
    """How the pairs that ended did so: last, once everything that happened while they met
    (supervision too) is in."""
    for story in plan["pair"]:
        if "end" not in story:
            continue
        pair = Pair.objects.get(programme=programme, senior__email=story["senior"])
        with as_of(days.at(story["end"]["day"], "10:00")):
            pair_status_set(
                pair=pair,
                status=story["end"]["status"],
                by=users[plan["coordinator"]],
                note=story["end"]["note"],
            )


def _agreements(pair: Pair, story: Data, days: Days, partners: dict[str, User]) -> None:
    for version in story.get("agreement", []):
        with as_of(days.at(version["day"], "12:00")):
            agreement = agreement_propose(
                pair=pair,
                by=partners[version["proposed_by"]],
                values={field: version[field] for field in AGREEMENT_FIELDS},
            )
        if "confirmed_day" in version:
            with as_of(days.at(version["confirmed_day"], "18:00")):
                agreement_confirm(
                    agreement=agreement,
                    by=partners[OTHER_SIDE[version["proposed_by"]]],
                    version=agreement.version,
                )
    if story.get("goal"):
        with as_of(days.at(story["agreement"][0]["day"], "12:30")):
            for goal in story["goal"]:
                goal_add(pair=pair, owner=partners[goal["side"]], text=goal["text"])


def _meetings(pair: Pair, story: Data, days: Days, partners: dict[str, User]) -> None:
    for meeting in story.get("meeting", []):
        day = days.working_day(meeting["day"])
        with as_of(days.on(day, "17:00")):
            logged = meeting_log(
                pair=pair,
                by=partners[meeting["logged_by"]],
                values={
                    "date": day,
                    "duration_minutes": meeting["minutes"],
                    "mode": meeting["mode"],
                    "location": meeting["location"],
                    "shared_notes": meeting["notes"],
                },
            )
        with as_of(days.on(day, "19:00")):
            for side, text in meeting.get("reflection", {}).items():
                reflection_save(meeting=logged, author=partners[side], text=text)
            for side, answers in meeting.get("pulse", {}).items():
                pulse_record(
                    meeting=logged,
                    author=partners[side],
                    answers=dict(zip(PULSE_ITEMS, answers, strict=True)),
                )


def _concern(
    pair: Pair, concern: Data, days: Days, partners: dict[str, User], coordinator: User
) -> None:
    with as_of(days.at(concern["day"], "20:00")):
        raised = concern_raise(
            pair=pair,
            by=partners[concern["side"]],
            text=concern["text"],
            supervision=concern.get("supervision", ""),
        )
    for action in concern.get("action", []):
        with as_of(days.at(action["day"], "11:00")):
            concern_act(concern=raised, by=coordinator, kind=action["kind"], note=action["note"])
