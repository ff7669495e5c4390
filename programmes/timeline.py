"""The ten-stage programme flow of the domain guide and its default timing (pure functions)."""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class PlannedDates:
    number: int
    start: date
    end: date


def relationships_start_for(commissioning_start: date) -> date:
    """Relationships begin when stages 1-4 have run their default course."""
    return commissioning_start + relativedelta(months=2) + timedelta(weeks=9)


def plan_stage_dates(
    commissioning_start: date, relationships_start: date | None = None
) -> list[PlannedDates]:
    """Planned start and end of every stage from the two anchor dates and the default timing."""
    c = commissioning_start
    r = relationships_start or relationships_start_for(c)
    commissioning_end = c + relativedelta(months=2)
    setup_end = commissioning_end + timedelta(weeks=3)
    selection_end = setup_end + timedelta(weeks=3)
    training_end = selection_end + timedelta(weeks=3)
    evaluation_start = r + relativedelta(months=6)
    first_group = r + timedelta(weeks=8)
    return [
        PlannedDates(1, c, commissioning_end),
        PlannedDates(2, commissioning_end, setup_end),
        PlannedDates(3, setup_end, selection_end),
        PlannedDates(4, selection_end, max(training_end, selection_end)),
        PlannedDates(5, r, r + timedelta(weeks=3)),
        PlannedDates(6, r + timedelta(weeks=4), evaluation_start),
        PlannedDates(7, first_group, r + timedelta(weeks=12)),
        PlannedDates(8, first_group, r + timedelta(weeks=12)),
        PlannedDates(9, r + timedelta(weeks=12), r + timedelta(weeks=12) + relativedelta(months=2)),
        PlannedDates(10, evaluation_start, evaluation_start + timedelta(weeks=4)),
    ]
