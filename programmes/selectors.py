from datetime import date

from django.db.models import QuerySet

from organisations.models import Membership
from organisations.roles import OrgRole

from .models import Programme, ProgrammeMember, ProgrammeReport, Stage


def programmes_visible_to(membership: Membership) -> QuerySet[Programme]:
    """Admins see every programme of the organisation; others see those they hold a role in."""
    programmes = Programme.objects.filter(organisation=membership.organisation)
    if membership.role != OrgRole.ADMIN:
        programmes = programmes.filter(members__user=membership.user).distinct()
    return programmes


def programme_stages(programme: Programme) -> QuerySet[Stage]:
    return Stage.objects.filter(programme=programme).order_by("number")


def timeline_stages(programme: Programme, today: date) -> list[Stage]:
    """The programme's stages in order, each marked `overdue` as of `today`."""
    stages = list(programme_stages(programme))
    for stage in stages:
        stage.overdue = stage.is_overdue(today)
    return stages


def current_stage(stages: list[Stage]) -> Stage | None:
    """The first stage not yet done, which is where the programme stands."""
    return next((stage for stage in stages if stage.status != "done"), None)


def programme_members(programme: Programme) -> QuerySet[ProgrammeMember]:
    return ProgrammeMember.objects.filter(programme=programme).select_related("user")


def reports_of(programme: Programme) -> QuerySet[ProgrammeReport]:
    return ProgrammeReport.objects.filter(programme=programme).select_related("requested_by")
