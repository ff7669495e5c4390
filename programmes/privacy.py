"""What programmes hold about a person: their roles, the ethics statements they acknowledged,
the training they attended and their calendar feeds."""

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import CalendarFeed, EthicsAcknowledgement, ProgrammeMember, TrainingAttendance


def programmes_export(organisation: Organisation, person: User) -> dict[str, Records]:
    in_organisation = {"programme__organisation": organisation}
    return {
        "Your roles in programmes": [
            record(m, "role", "side", "stakeholder_group", "created_at", programme=m.programme.name)
            for m in ProgrammeMember.objects.filter(**in_organisation, user=person).select_related(
                "programme"
            )
        ],
        "Ethics statements you acknowledged": [
            record(a, "version", "text", "acknowledged_at", programme=a.programme.name)
            for a in EthicsAcknowledgement.objects.filter(
                **in_organisation, user=person
            ).select_related("programme")
        ],
        "Training you attended": [
            record(t, "recorded_at", session=t.session.title)
            for t in TrainingAttendance.objects.filter(
                session__programme__organisation=organisation, participant=person
            ).select_related("session")
        ],
    }


def programmes_erase(erasure: Erasure) -> int:
    """A person's roles and records go with them; after retention the programme keeps its
    people's roles (who ran it), which hold nothing they wrote."""
    if erasure.person is None:
        return 0
    return sum(
        rows.delete()[0]
        for rows in (
            erasure.rows(EthicsAcknowledgement.objects, "programme", "user"),
            erasure.rows(TrainingAttendance.objects, "session__programme", "participant"),
            erasure.rows(CalendarFeed.objects, "programme", "user"),
            erasure.rows(ProgrammeMember.objects, "programme", "user"),
        )
    )
