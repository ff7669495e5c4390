"""Training sessions and who attended them."""

from collections.abc import Iterable

from django.db import transaction

from organisations.roles import Role

from ..models import (
    Programme,
    ProgrammeMember,
    TrainingAttendance,
    TrainingAudience,
    TrainingSession,
)


def training_session_save(
    *, programme: Programme, values: dict[str, object], session: TrainingSession | None = None
) -> TrainingSession:
    session = session or TrainingSession(programme=programme)
    for field, value in values.items():
        setattr(session, field, value)
    session.save()
    return session


@transaction.atomic
def attendance_set(*, session: TrainingSession, participant_ids: Iterable[int]) -> int:
    """Record exactly these participants as having attended; anyone outside the session's
    audience (another side, another programme) is ignored. Returns how many attended."""
    audience = ProgrammeMember.objects.filter(
        programme=session.programme_id, role=Role.PARTICIPANT, user_id__in=list(participant_ids)
    )
    if session.audience != TrainingAudience.EVERYONE:
        audience = audience.filter(side=session.audience)
    valid = set(audience.values_list("user_id", flat=True))
    TrainingAttendance.objects.filter(session=session).exclude(participant_id__in=valid).delete()
    TrainingAttendance.objects.bulk_create(
        (TrainingAttendance(session=session, participant_id=user_id) for user_id in valid),
        ignore_conflicts=True,
    )
    return len(valid)
