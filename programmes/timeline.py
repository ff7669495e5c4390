"""The ten-stage programme flow of the domain guide and its default timing (pure functions)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class StageDefinition:
    number: int
    name: str
    summary: str
    default_timing: str


STAGES: tuple[StageDefinition, ...] = (
    StageDefinition(
        1,
        "Commissioning",
        "Make the case to the top team and get sign-off; stakeholder support in principle.",
        "2 months",
    ),
    StageDefinition(
        2,
        "Set-up and planning",
        "Purpose and scope; links to other D&I and leadership "
        "initiatives; steering group; roles; selection and matching criteria; training "
        "outline; broad measures; external support if needed.",
        "3 weeks",
    ),
    StageDefinition(
        3,
        "Selection and matching",
        "Market the initiative; identify and recruit "
        "participants; create pairings, amend if needed.",
        "3 weeks",
    ),
    StageDefinition(
        4,
        "Initial training",
        "All participants, in person or virtual, one intensive day or several blocks.",
        "3 weeks",
    ),
    StageDefinition(
        5,
        "Start of relationships",
        "Pairs begin meeting; online resources.",
        "within 3 weeks of training",
    ),
    StageDefinition(
        6,
        "Ongoing support and trouble-shooting",
        "Steering-group check-ins with each pair; individual or pair supervision if needed.",
        "from 4-6 weeks after start",
    ),
    StageDefinition(
        7, "Initial survey", "Relationship development; key themes.", "8-12 weeks after start"
    ),
    StageDefinition(
        8,
        "First combined group supervision",
        "Pairs come together to identify systemic issues and where to focus collective action.",
        "8-12 weeks after start",
    ),
    StageDefinition(
        9,
        "Subsequent combined group supervision",
        "Progress action on the systemic issues.",
        "monthly, at least two months",
    ),
    StageDefinition(
        10,
        "Programme evaluation",
        "Impact at individual and organisational level.",
        "six months after relationships begin",
    ),
)


# What each stage's description asks for, as the checklist a new programme starts with:
# (task, the role responsible for it). Due dates default to the end of the stage.
STAGE_TASKS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("Make the case to the top team", "coordinator"),
        ("Record the top team's sign-off", "executive"),
        ("Secure stakeholder support in principle", "coordinator"),
    ),
    2: (
        ("Write the purpose statement and scope", "coordinator"),
        ("Link the programme to other D&I and leadership initiatives", "coordinator"),
        ("Form the steering group and name its chair", "coordinator"),
        ("Agree everyone's roles", "coordinator"),
        ("Set the selection and matching criteria", "steering"),
        ("Outline the training", "coordinator"),
        ("Agree the broad measures of success", "steering"),
        ("Arrange external support if needed", "coordinator"),
    ),
    3: (
        ("Market the initiative", "coordinator"),
        ("Identify and recruit participants", "steering"),
        ("Create the pairings", "coordinator"),
        ("Amend the pairings if needed", "coordinator"),
    ),
    4: (
        ("Schedule the initial training", "coordinator"),
        ("Train all participants", "coordinator"),
        ("Brief the participants' line managers", "coordinator"),
    ),
    5: (
        ("Hold the first meeting with your partner", "participant"),
        ("Share the online resources with the pairs", "coordinator"),
    ),
    6: (
        ("Check in informally with each pair", "steering"),
        ("Offer individual or pair supervision where needed", "supervisor"),
    ),
    7: (
        ("Run the initial survey", "coordinator"),
        ("Gather the key themes from the pairs", "coordinator"),
    ),
    8: (
        ("Send the analysis of themes to every pair well in advance", "coordinator"),
        ("Facilitate the first combined group session", "supervisor"),
        ("Appoint volunteers to lead each key topic", "steering"),
    ),
    9: (
        ("Facilitate the monthly combined group sessions", "supervisor"),
        ("Progress action on the systemic issues", "steering"),
    ),
    10: (
        ("Run the evaluation survey", "coordinator"),
        ("Report the programme's impact to the executive sponsor", "coordinator"),
    ),
}

DEFAULT_GROUP_SESSIONS = 3  # stage 9: monthly sessions over at least two months
MIN_GROUP_SESSIONS = 2


@dataclass(frozen=True)
class PlannedDates:
    number: int
    start: date
    end: date


ANCHORS_OUT_OF_ORDER = "Relationships must start after commissioning does."


def anchors_in_order(commissioning_start: date, relationships_start: date) -> bool:
    return relationships_start > commissioning_start


def relationships_start_for(commissioning_start: date) -> date:
    """Relationships begin when stages 1-4 have run their default course."""
    return commissioning_start + relativedelta(months=2) + timedelta(weeks=9)


def on_a_weekday(day: date) -> date:
    """Group sessions are workplace sessions: a Saturday or Sunday moves to the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def first_group_session(relationships_start: date) -> date:
    """The first combined group session (stage 8), ten weeks in: the middle of 8-12 weeks."""
    return on_a_weekday(relationships_start + timedelta(weeks=10))


def subsequent_group_sessions(relationships_start: date, count: int) -> list[date]:
    """Stage 9: one session a month after the first combined session, at least two of them."""
    first = relationships_start + timedelta(weeks=10)
    return [
        on_a_weekday(first + relativedelta(months=n))
        for n in range(1, max(count, MIN_GROUP_SESSIONS) + 1)
    ]


def plan_stage_dates(
    commissioning_start: date,
    relationships_start: date | None = None,
    group_sessions: int = DEFAULT_GROUP_SESSIONS,
) -> list[PlannedDates]:
    """Planned start and end of every stage from the two anchor dates and the default timing."""
    c = commissioning_start
    r = relationships_start or relationships_start_for(c)
    commissioning_end = c + relativedelta(months=2)
    setup_end = commissioning_end + timedelta(weeks=3)
    selection_end = setup_end + timedelta(weeks=3)
    training_end = selection_end + timedelta(weeks=3)
    evaluation_start = r + relativedelta(months=6)
    series = subsequent_group_sessions(r, group_sessions)
    return [
        PlannedDates(1, c, commissioning_end),
        PlannedDates(2, commissioning_end, setup_end),
        PlannedDates(3, setup_end, selection_end),
        PlannedDates(4, selection_end, training_end),
        PlannedDates(5, r, r + timedelta(weeks=3)),
        PlannedDates(6, r + timedelta(weeks=4), evaluation_start),
        PlannedDates(7, r + timedelta(weeks=8), r + timedelta(weeks=12)),
        PlannedDates(8, r + timedelta(weeks=8), r + timedelta(weeks=12)),
        PlannedDates(9, series[0], series[-1]),
        PlannedDates(10, evaluation_start, evaluation_start + timedelta(weeks=4)),
    ]


@dataclass(frozen=True)
class StageDates:
    """A stage's dates as they stand, and which of them the coordinator set by hand."""

    number: int
    start: date
    end: date
    start_pinned: bool = False
    end_pinned: bool = False


def replan(
    current: Sequence[StageDates],
    commissioning_start: date,
    relationships_start: date,
    group_sessions: int = DEFAULT_GROUP_SESSIONS,
) -> list[StageDates]:
    """Recompute every date not set by hand from the anchors; hand-set dates stay put.

    A computed date gives way to a hand-set one on the same stage, so no stage ever ends before it
    starts (two hand-set dates are checked when they are entered).
    """
    computed = {
        p.number: p
        for p in plan_stage_dates(commissioning_start, relationships_start, group_sessions)
    }
    result = []
    for stage in current:
        planned = computed[stage.number]
        start = stage.start if stage.start_pinned else planned.start
        end = stage.end if stage.end_pinned else planned.end
        if stage.start_pinned and not stage.end_pinned:
            end = max(end, start)
        elif stage.end_pinned and not stage.start_pinned:
            start = min(start, end)
        result.append(replace(stage, start=start, end=end))
    return result


def status_from_tasks(statuses: Sequence[str]) -> str:
    """A stage's status follows its checklist: done when every task is, started when any is."""
    if not statuses:
        return "not_started"
    if all(status == "done" for status in statuses):
        return "done"
    if any(status != "todo" for status in statuses):
        return "in_progress"
    return "not_started"
