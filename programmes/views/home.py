"""Each person's home in a programme: the first page after sign-in, with what needs them today.

The programme says where it stands; the apps above add what each role has to do (a
participant's partnership, a coordinator's pairs needing attention, a supervisor's caseload)
as panels of `HOME_PAGE`."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from organisations.panels import panels_for
from organisations.permissions import OrgPerm, requires
from organisations.querysets import Head, head_of

from ..models import Stage, StageStatus, StageTask
from ..pages import HOME_PAGE
from ..permissions import Perm
from ..selectors import current_stage, plan_tasks, programme_stages, programmes_visible_to

OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class WhereWeStand:
    """The programme's place in its ten stages, as everyone's home shows it."""

    current: Stage | None
    following: Stage | None
    done: int
    total: int
    current_overdue: bool  # the current stage is past its planned end


def _where_we_stand(stages: list[Stage], today: date) -> WhereWeStand:
    current = current_stage(stages)
    following = next((s for s in stages if current and s.number > current.number), None)
    done = sum(1 for stage in stages if stage.status == StageStatus.DONE)
    overdue = current is not None and current.planned_end < today
    return WhereWeStand(current, following, done, len(stages), overdue)


def _overdue_tasks(request: HttpRequest, today: date) -> Head[StageTask] | None:
    if Perm.VIEW_SETUP not in request.programme_perms:
        return None
    overdue = plan_tasks(request.programme, overdue_on=today)
    # What the home shows of each: its title, stage, due date and who is responsible.
    shown = overdue.only(
        "title", "stage_id", "stage__number", "due_date", "responsible_user__full_name"
    )
    return head_of(shown, OVERDUE_SHOWN)


@requires(Perm.VIEW_PROGRAMME)
def home(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    today = timezone.localdate()  # the tenant middleware has switched to the organisation's zone
    stages = list(programme_stages(request.programme))  # where it stands needs no task counts
    overdue = _overdue_tasks(request, today)
    return render(
        request,
        "programmes/home.html",
        {
            "tab": "home",
            "today": today,
            "standing": _where_we_stand(stages, today),
            "overdue_tasks": overdue.rows if overdue else [],
            "overdue_count": overdue.total if overdue else 0,
            "panels": panels_for(HOME_PAGE, request, today=today),
        },
    )


@requires(OrgPerm.VIEW)
def organisation_start(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Where signing in lands: the home of the one programme under way that the person has a
    part in (or of their only programme), or the organisation's list of programmes when
    several are under way, or none yet."""
    visible = programmes_visible_to(request.membership)
    unfinished = Stage.objects.filter(programme=OuterRef("pk")).exclude(status=StageStatus.DONE)
    under_way = list(visible.filter(Exists(unfinished)).values_list("pk", flat=True)[:2])
    ids = under_way or list(visible.values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return redirect("programmes:home", org_slug=org_slug, programme_id=ids[0])
    return redirect("organisation", org_slug=org_slug)
