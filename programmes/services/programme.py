"""Creating a programme and writing its purpose, ethics, sign-off and people."""

from datetime import date

from django.db import transaction

from organisations.audit import audit_record
from organisations.models import AuditAction, Organisation, User
from organisations.roles import Role

from ..hooks import (
    anonymity_threshold_changing,
    member_added,
    participant_added,
    programme_created,
)
from ..models import (
    DEFAULT_SUCCESS_MEASURES,
    EthicsAcknowledgement,
    GroupSession,
    Programme,
    ProgrammeMember,
    Stage,
    StageTask,
    SuccessMeasure,
)
from ..timeline import (
    DEFAULT_GROUP_SESSIONS,
    STAGE_TASKS,
    STAGES,
    first_group_session,
    plan_stage_dates,
    relationships_start_for,
    subsequent_group_sessions,
)


class ProgrammeError(Exception):
    """A change the programme's rules do not allow; the message is for the user."""


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    name: str,
    start_date: date,
    created_by: User,
    relationships_start: date | None = None,
    reminder_lead_days: int = 7,
    group_sessions: int = DEFAULT_GROUP_SESSIONS,
) -> Programme:
    """A programme with its ten dated stages, their checklists, the combined group sessions and
    the four default success measures; its creator becomes its coordinator."""
    relationships_start = relationships_start or relationships_start_for(start_date)
    programme = Programme.objects.create(
        organisation=organisation,
        name=name,
        start_date=start_date,
        relationships_start=relationships_start,
        reminder_lead_days=reminder_lead_days,
        group_sessions=group_sessions,
    )
    stages = Stage.objects.bulk_create(
        Stage(
            programme=programme,
            number=planned.number,
            name=STAGES[planned.number - 1].name,
            planned_start=planned.start,
            planned_end=planned.end,
        )
        for planned in plan_stage_dates(start_date, relationships_start, group_sessions)
    )
    StageTask.objects.bulk_create(
        StageTask(
            programme=programme,
            stage=stage,
            title=title,
            responsible_role=role,
            due_date=stage.planned_end,
            position=position,
        )
        for stage in stages
        for position, (title, role) in enumerate(STAGE_TASKS[stage.number])
    )
    GroupSession.objects.bulk_create(
        GroupSession(programme=programme, stage_number=stage_number, sequence=sequence, date=day)
        for sequence, (stage_number, day) in enumerate(
            group_session_dates(relationships_start, group_sessions), start=1
        )
    )
    success_measures_set(programme=programme, texts=list(DEFAULT_SUCCESS_MEASURES))
    programme_member_add(
        programme=programme, user=created_by, role=Role.COORDINATOR, granted_by=created_by
    )
    programme_created.send(programme=programme)
    return programme


def group_session_dates(relationships_start: date, count: int) -> list[tuple[int, date]]:
    """(stage, date) of the first combined session and the monthly series after it."""
    first = (8, first_group_session(relationships_start))
    return [first, *((9, day) for day in subsequent_group_sessions(relationships_start, count))]


SETUP_FIELDS = (
    "name",
    "purpose",
    "scope",
    "initiative_links",
    "selection_criteria",
    "planned_pairs",
    "duration_months",
    "steering_min_size",
    "steering_max_size",
    "reminder_lead_days",
    "anonymity_threshold",
)


@transaction.atomic
def programme_setup_update(*, programme: Programme, **values: object) -> Programme:
    """Write the purpose-and-scope fields named in SETUP_FIELDS. A new anonymity threshold
    applies to surveys still to close; those closed already keep the one they closed with."""
    unknown = set(values) - set(SETUP_FIELDS)
    if unknown:
        raise TypeError(f"Not a set-up field: {', '.join(sorted(unknown))}")
    threshold = values.get("anonymity_threshold", programme.anonymity_threshold)
    if threshold != programme.anonymity_threshold:
        anonymity_threshold_changing.send(
            programme=programme, old_threshold=programme.anonymity_threshold
        )
    for field, value in values.items():
        setattr(programme, field, value)
    programme.save(update_fields=list(values))
    return programme


@transaction.atomic
def success_measures_set(*, programme: Programme, texts: list[str]) -> list[SuccessMeasure]:
    """Make the programme's success measures `texts`, in that order, blanks dropped. A measure
    whose text is kept keeps its row, so what refers to it (a hard measure) stays linked."""
    wanted = list(dict.fromkeys(text.strip() for text in texts if text.strip()))
    existing = {m.text: m for m in SuccessMeasure.objects.filter(programme=programme)}
    SuccessMeasure.objects.filter(programme=programme).exclude(text__in=wanted).delete()
    measures = []
    for position, text in enumerate(wanted):
        measure = existing.get(text) or SuccessMeasure(programme=programme, text=text)
        measure.position = position
        measure.save()
        measures.append(measure)
    return measures


def ethics_statement_set(*, programme: Programme, text: str) -> Programme:
    """A changed statement gets a new version, which every participant must acknowledge again."""
    text = text.strip()
    if text == programme.ethics_statement:
        return programme
    programme.ethics_statement = text
    programme.ethics_version += 1
    programme.save(update_fields=["ethics_statement", "ethics_version"])
    return programme


def ethics_acknowledge(*, programme: Programme, user: User) -> EthicsAcknowledgement:
    if not programme.ethics_version:
        raise ProgrammeError("This programme has no ethics statement to acknowledge yet.")
    acknowledgement, _ = EthicsAcknowledgement.objects.get_or_create(
        programme=programme,
        user=user,
        version=programme.ethics_version,
        defaults={"text": programme.ethics_statement},
    )
    return acknowledgement


@transaction.atomic
def programme_member_add(
    *,
    programme: Programme,
    user: User,
    role: str,
    side: str = "",
    stakeholder_group: str = "",
    is_chair: bool = False,
    granted_by: User | None = None,
) -> ProgrammeMember:
    """Give `user` a role in the programme (once); a new role is audited as granted by
    `granted_by` (nobody, when the system gives it)."""
    member, created = ProgrammeMember.objects.get_or_create(
        programme=programme,
        user=user,
        role=role,
        defaults={
            "side": side if role == Role.PARTICIPANT else "",
            "stakeholder_group": stakeholder_group if role == Role.STEERING else "",
        },
    )
    if role == Role.STEERING and (is_chair or (stakeholder_group and not created)):
        steering_member_update(
            member=member,
            stakeholder_group=stakeholder_group or member.stakeholder_group,
            is_chair=is_chair or member.is_chair,  # adding someone again never unseats a chair
        )
    if created:
        programme_role_audit(member=member, action=AuditAction.ROLE_GRANTED, by=granted_by, count=1)
    if role == Role.PARTICIPANT:
        participant_added.send(programme=programme, user=user, side=member.side)
    member_added.send(programme=programme, user=user, role=role)
    return member


@transaction.atomic
def steering_member_update(
    *,
    member: ProgrammeMember,
    stakeholder_group: str,
    is_chair: bool,
    reviews_candidates: bool | None = None,
) -> ProgrammeMember:
    """Record whom a steering member represents; naming a new chair replaces the old one."""
    if member.role != Role.STEERING:
        raise ProgrammeError("Only steering-group members represent stakeholders or chair.")
    if is_chair:
        ProgrammeMember.objects.filter(programme=member.programme_id, is_chair=True).exclude(
            pk=member.pk
        ).update(is_chair=False)
    member.stakeholder_group = stakeholder_group.strip()
    member.is_chair = is_chair
    if reviews_candidates is not None:
        member.reviews_candidates = reviews_candidates
    member.save(update_fields=["stakeholder_group", "is_chair", "reviews_candidates"])
    return member


def steering_member_remove(*, member: ProgrammeMember, by: User | None = None) -> None:
    if member.role != Role.STEERING:
        raise ProgrammeError("Only steering-group members can be removed here.")
    programme_role_audit(member=member, action=AuditAction.ROLE_REMOVED, by=by, count=1)
    member.delete()


def programme_role_audit(
    *, member: ProgrammeMember, action: AuditAction, by: User | None, count: int
) -> None:
    """`count` is for many people given the same role at once (the member is then one of them)."""
    audit_record(
        organisation=member.programme.organisation,
        actor=by,
        action=action,
        subject=f"role:{member.role}",
        person=member.user if count == 1 else None,
        programme_id=member.programme_id,
        count=count,
    )
