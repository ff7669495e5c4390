"""Programme set-up: the programme and its purpose, roles, steering group, sign-off, plan,
group sessions, training and resource library, each written on the day it happened."""

from datetime import time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile

from organisations.models import Organisation, User
from organisations.roles import Role
from pairs.models import Decision, Profile
from programmes.models import GroupSession, Programme, Stage, StageTask
from programmes.services import (
    attendance_set,
    ethics_acknowledge,
    ethics_statement_set,
    group_session_update,
    programme_create,
    programme_invitation_create,
    programme_member_add,
    programme_setup_update,
    resource_add,
    sign_off_record,
    stage_dates_set,
    task_save,
    task_status_set,
    training_session_save,
)

from .clock import as_of
from .story import Data, Days

SETUP_TEXTS = ("purpose", "scope", "initiative_links", "selection_criteria")


def programme_set_up(
    *, plan: Data, days: Days, organisation: Organisation, users: dict[str, User]
) -> Programme:
    """The programme as the coordinator created it when commissioning began, set up through
    stages 1 and 2. Participants come with selection (see `selection`)."""
    with as_of(days.at(plan["created_day"], "09:00")):
        programme = programme_create(
            organisation=organisation,
            name=plan["name"],
            # Stages 1-4 run their default course up to the day the relationships started.
            start_date=days.start - timedelta(weeks=9) - relativedelta(months=2),
            relationships_start=days.start,
            created_by=users[plan["coordinator"]],
            reminder_lead_days=plan["reminder_lead_days"],
        )
        for role in (Role.EXECUTIVE, Role.SUPERVISOR):
            programme_member_add(programme=programme, user=users[plan[role]], role=role)
        setup = plan["setup"]
        programme_setup_update(
            programme=programme,
            **{field: setup[field] for field in SETUP_TEXTS},
            planned_pairs=setup["planned_pairs"],
            duration_months=setup["duration_months"],
        )
        ethics_statement_set(programme=programme, text=setup["ethics"])
        stages = {stage.number: stage for stage in Stage.objects.filter(programme=programme)}
        for dates in plan["plan"].get("dates", []):
            stage = stages[dates["stage"]]
            stage_dates_set(stage=stage, start=stage.planned_start, end=days.date(dates["end_day"]))
        for values in plan.get("group_session", []):
            _group_session_set(programme, values)
    with as_of(days.on(stages[2].planned_start + timedelta(days=3))):
        for member in plan["steering"]:
            programme_member_add(
                programme=programme,
                user=users[member["email"]],
                role=Role.STEERING,
                stakeholder_group=member["represents"],
                is_chair=member.get("chair", False),
            )
    sign_off = setup["sign_off"]
    with as_of(days.at(sign_off["day"], "15:00")):
        sign_off_record(
            programme=programme,
            signed_off_by=sign_off["by"],
            signed_off_on=days.date(sign_off["day"]),
            note=sign_off["note"],
            recorded_by=users[plan["executive"]],
        )
    _resources(programme, plan.get("resource", []), days, users[plan["coordinator"]])
    _plan(programme, plan["plan"], days, users)
    return programme


def _group_session_set(programme: Programme, values: Data) -> None:
    session = GroupSession.objects.get(programme=programme, sequence=values["sequence"])
    group_session_update(
        session=session,
        day=session.date,
        start_time=time.fromisoformat(values["time"]),
        duration_minutes=values["duration_minutes"],
        location=values["location"],
    )


def _resources(programme: Programme, resources: list[Data], days: Days, coordinator: User) -> None:
    for resource in resources:
        upload = None
        if "file" in resource:
            upload = SimpleUploadedFile(
                resource["file"], resource["text"].encode(), content_type="text/markdown"
            )
        with as_of(days.at(resource["day"], "11:00")):
            resource_add(
                programme=programme,
                title=resource["title"],
                description=resource["description"],
                audience=resource["audience"],
                added_by=coordinator,
                url=resource.get("url", ""),
                upload=upload,
            )


def _plan(programme: Programme, plan: Data, days: Days, users: dict[str, User]) -> None:
    """Who owns which task, the tasks added to the default checklists, and each task ticked off
    (or begun) on its day: stages up to `done_through` are done, every task inside its stage."""
    stages = {stage.number: stage for stage in Stage.objects.filter(programme=programme)}
    told = {(item["stage"], item["title"]): item for item in plan.get("task", [])}
    with as_of(days.on(stages[1].planned_start, "09:30")):
        for (number, title), item in told.items():
            owner = users.get(item.get("owner", ""))
            task = (
                None
                if item.get("added")
                else StageTask.objects.get(stage=stages[number], title=title)
            )
            if task is None or owner is not None:
                task_save(
                    stage=stages[number],
                    title=title,
                    due_date=None,
                    responsible_user=owner,
                    responsible_role="" if owner or task is None else task.responsible_role,
                    task=task,
                )
    for number, stage in stages.items():
        tasks = list(StageTask.objects.filter(stage=stage).select_related("stage"))
        steps = []
        for position, task in enumerate(tasks, start=1):
            item = told.get((number, task.title), {})
            done = number <= plan["done_through"] or "day" in item
            status = item.get("status", "done" if done else "")
            if not status:
                continue
            if "day" in item:
                moment = days.at(item["day"], "16:00")
            else:  # spread through the stage
                length = (stage.planned_end - stage.planned_start).days
                day = stage.planned_start + timedelta(days=position * length // (len(tasks) + 1))
                moment = days.on(day, "16:00")
            steps.append((moment, task, status))
        for moment, task, status in sorted(steps, key=lambda step: step[0]):
            with as_of(moment):
                task_status_set(task=task, status=status)


def training_load(*, programme: Programme, plan: Data, days: Days, users: dict[str, User]) -> None:
    """The training sessions; those that have taken place with who came, and everyone selected
    acknowledges the ethics statement in the week before the first session."""
    participants = list(
        Profile.objects.filter(programme=programme, decision=Decision.SELECTED)
        .select_related("user")
        .order_by("pk")
    )
    sessions = sorted(plan.get("training", []), key=lambda session: session["day"])
    first_day = sessions[0]["day"]
    for position, member in enumerate(participants):
        with as_of(days.at(first_day - 6 + position % 5, "12:00")):
            ethics_acknowledge(programme=programme, user=member.user)
    for session in sessions:
        starts_at = days.on(days.working_day(session["day"]), session["time"])
        values = {key: session[key] for key in TRAINING_FIELDS}
        saved = training_session_save(
            programme=programme, values={**values, "starts_at": starts_at}
        )
        ends_at = starts_at + timedelta(minutes=session["duration_minutes"])
        if "absent" in session:
            with as_of(ends_at):
                attendance_set(
                    session=saved,
                    participant_ids=[
                        m.user_id for m in participants if m.user.email not in session["absent"]
                    ],
                )


TRAINING_FIELDS = ("title", "kind", "format", "audience", "duration_minutes", "location", "topics")


def invitations_load(
    *, programme: Programme, plan: Data, days: Days, users: dict[str, User]
) -> None:
    """The coordinator's invitations to people not yet in the organisation, each sent on its
    day: those of the last two weeks still wait for an answer, older ones have expired."""
    for invitation in plan.get("invitation", []):
        with as_of(days.at(invitation["day"], "11:00")):
            programme_invitation_create(
                programme=programme,
                email=invitation["email"],
                full_name=invitation["name"],
                invited_by=users[plan["coordinator"]],
                role=invitation["role"],
                stakeholder_group=invitation.get("represents", ""),
            )
