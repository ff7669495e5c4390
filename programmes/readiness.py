"""How ready a programme is against the six programme standards (pure functions).

The evidence is what the system already holds; every check names the page where it is fixed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    purpose_written: bool
    scope_written: bool
    initiatives_linked: bool
    success_measures: int
    signed_off: bool
    steering_members: int
    steering_invited: int
    steering_min: int
    steering_max: int
    steering_chair: bool
    steering_unrepresented: int
    initial_training_sessions: int
    initial_training_sides: frozenset[str]
    follow_up_sessions: int
    selection_criteria_written: bool
    planned_pairs: int | None
    senior_participants: int
    junior_participants: int
    supervisors: int
    group_sessions: int
    measurement_tasks_unowned: int
    ethics_statement_set: bool
    participants: int
    participants_acknowledged: int
    coordinators: int
    executives: int
    tasks: int
    tasks_unowned: int
    tasks_overdue: int
    resources: int


def joined_and_invited(joined: int, invited: int) -> str:
    """A group's size as people count it while invitations wait: "3 joined, 1 invited"."""
    return f"{joined} joined, {invited} invited"


@dataclass(frozen=True)
class Check:
    label: str
    met: bool
    page: str  # URL name (with its app) of the programme page where this is put right


@dataclass(frozen=True)
class StandardReadiness:
    number: int
    name: str
    checks: tuple[Check, ...]

    @property
    def met(self) -> int:
        return sum(check.met for check in self.checks)


@dataclass(frozen=True)
class Readiness:
    standards: tuple[StandardReadiness, ...]

    @property
    def met(self) -> int:
        return sum(standard.met for standard in self.standards)

    @property
    def total(self) -> int:
        return sum(len(standard.checks) for standard in self.standards)

    @property
    def score(self) -> int:
        """Per cent of checks met, rounded down so 100 means everything."""
        return self.met * 100 // self.total


def assess(e: Evidence) -> Readiness:
    both_sides_trained = {"everyone"} <= e.initial_training_sides or {"senior", "junior"} <= (
        e.initial_training_sides
    )
    return Readiness(
        (
            StandardReadiness(
                1,
                "Clarity of purpose",
                (
                    Check("Purpose statement written", e.purpose_written, "programmes:setup"),
                    Check("Success measures defined", e.success_measures > 0, "programmes:setup"),
                    Check("Scope written", e.scope_written, "programmes:setup"),
                    Check(
                        "Links to other D&I and leadership initiatives recorded",
                        e.initiatives_linked,
                        "programmes:setup",
                    ),
                    Check("Top team's sign-off recorded", e.signed_off, "programmes:setup"),
                    Check(
                        f"Steering group formed ({e.steering_min}-{e.steering_max} members; "
                        f"{joined_and_invited(e.steering_members, e.steering_invited)})",
                        e.steering_min <= e.steering_members <= e.steering_max,
                        "programmes:steering",
                    ),
                    Check("Steering group has a chair", e.steering_chair, "programmes:steering"),
                    Check(
                        "Every steering member's stakeholder group recorded",
                        e.steering_members > 0 and e.steering_unrepresented == 0,
                        "programmes:steering",
                    ),
                ),
            ),
            StandardReadiness(
                2,
                "Training and briefing",
                (
                    Check(
                        "Initial training scheduled",
                        e.initial_training_sessions > 0,
                        "programmes:training",
                    ),
                    Check(
                        "Initial training reaches both sides",
                        both_sides_trained,
                        "programmes:training",
                    ),
                    Check(
                        "Follow-up workshop scheduled",
                        e.follow_up_sessions > 0,
                        "programmes:training",
                    ),
                ),
            ),
            StandardReadiness(
                3,
                "Selection and matching",
                (
                    Check(
                        "Selection and matching criteria set",
                        e.selection_criteria_written,
                        "programmes:setup",
                    ),
                    Check(
                        "Planned number of pairs set",
                        e.planned_pairs is not None,
                        "programmes:setup",
                    ),
                    Check(
                        "Participants on both sides",
                        e.senior_participants > 0 and e.junior_participants > 0,
                        "programmes:people",
                    ),
                ),
            ),
            StandardReadiness(
                4,
                "Measurement and review",
                (
                    Check(
                        "Steering members to check in with the pairs",
                        e.steering_members > 0,
                        "programmes:steering",
                    ),
                    Check(
                        "At least two follow-up combined group sessions dated",
                        e.group_sessions >= 3,
                        "programmes:timeline",
                    ),
                    Check(
                        "Initial survey and evaluation have owners in the plan",
                        e.measurement_tasks_unowned == 0,
                        "programmes:plan",
                    ),
                ),
            ),
            StandardReadiness(
                5,
                "High standard of ethics",
                (
                    Check("Ethics statement set", e.ethics_statement_set, "programmes:ethics"),
                    Check(
                        "Every participant has acknowledged it",
                        e.ethics_statement_set
                        and e.participants > 0
                        and e.participants_acknowledged == e.participants,
                        "programmes:ethics",
                    ),
                ),
            ),
            StandardReadiness(
                6,
                "Administration and support",
                (
                    Check(
                        "Coordinator and executive sponsor assigned",
                        e.coordinators > 0 and e.executives > 0,
                        "programmes:people",
                    ),
                    Check(
                        "Every task in the project plan has an owner",
                        e.tasks > 0 and e.tasks_unowned == 0,
                        "programmes:plan",
                    ),
                    Check("No task overdue", e.tasks_overdue == 0, "programmes:plan"),
                    Check("Resource library started", e.resources > 0, "programmes:resources"),
                ),
            ),
        )
    )


def with_checks(readiness: Readiness, added: dict[int, list[Check]]) -> Readiness:
    """The scorecard with the checks the apps above contribute, each under its standard."""
    return Readiness(
        tuple(
            StandardReadiness(s.number, s.name, (*s.checks, *added.get(s.number, ())))
            for s in readiness.standards
        )
    )
