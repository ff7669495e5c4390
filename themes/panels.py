"""What themes adds to other apps' pages (registered in ThemesConfig.ready)."""

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from organisations.querysets import aggregate_together
from pairs.models import Meeting, Pair
from pairs.selectors import current_pair_of_request
from programmes.models import GroupSession
from programmes.permissions import Perm

from .forms import AgendaAddForm, LeadForm
from .models import (
    OPEN_ACTION_STATUSES,
    IssueAction,
    IssueStatus,
    RecurringStatus,
    RecurringTheme,
    Theme,
    ThemeConsent,
)
from .selectors import (
    accepted_recurring,
    agenda_and_analysis,
    facilitates,
    open_issues,
    register_figure_parts,
    register_figures_from,
    shared_themes,
)


def partnership_panel(
    request: HttpRequest, *, pair: Pair, latest_meeting: Meeting | None, **_: Any
) -> dict[str, Any]:
    """On a partner's own page: the pair's themes in a line, and after a meeting (the page's
    latest) the prompt to record what touched the organisation's systems."""
    themes = list(pair.themes.values_list("shared_at", "meeting"))
    latest = latest_meeting
    prompt = latest if latest and not any(m == latest.pk for _, m in themes) else None
    return {
        "pair": pair,
        "drafts": sum(1 for shared, _ in themes if shared is None),
        "shared": sum(1 for shared, _ in themes if shared is not None),
        "prompt": prompt,
    }


def session_panel(
    request: HttpRequest,
    *,
    session: GroupSession,
    invited: bool,
    facilitating: bool,
    **_: Any,
) -> dict | None:
    """On a combined session's page: its agenda of recurring themes with their leads, the
    analysis, and in stage 9 the open systemic issues. The page says whether the person is
    invited to this session or facilitates it."""
    groups = Perm.GROUP_THEMES in request.programme_perms
    if not (groups or invited or facilitating or facilitates(request.programme, request.user)):
        return None
    items, analysis_sent_at = agenda_and_analysis(session)
    volunteers = {item.pk: [offer.user for offer in item.offers.all()] for item in items}
    adds = groups and analysis_sent_at is None  # nothing joins the agenda once it has gone out
    return {
        "session": session,
        "items": [
            (
                item,
                volunteers[item.pk],
                request.user in volunteers[item.pk],
                LeadForm(
                    prefix=f"lead{item.pk}",
                    initial={"lead": item.lead_id},
                    volunteers=volunteers[item.pk],
                )
                if groups
                else None,
            )
            for item in items
        ],
        "groups": groups,
        "takes_part": Perm.TAKE_PART in request.programme_perms,
        "add_form": AgendaAddForm(recurring=list(accepted_recurring(request.programme)))
        if adds
        else None,
        "analysis_sent_at": analysis_sent_at,
        "issues": open_issues(request.programme) if session.stage_number == 9 else [],
        "today": timezone.localdate(),
    }


def themes_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """On a programme home: a partner's themes (drafts waiting for their agreement), what the
    coordinator has to group, and the systemic-issue actions the person owns."""
    programme, user, perms = request.programme, request.user, request.programme_perms
    pair = current_pair_of_request(request) if Perm.TAKE_PART in perms else None
    open_actions = IssueAction.objects.filter(
        issue__programme=programme,
        issue__status=IssueStatus.OPEN,
        status__in=OPEN_ACTION_STATUSES,
    )
    mine, late = Q(owner=user), Q(due__lt=today)
    parts = [
        (
            open_actions,
            {
                "actions": Count("pk", filter=mine),
                "overdue_actions": Count("pk", filter=mine & late),
                "programme_overdue": Count("pk", filter=late & Q(owner__isnull=False)),
            },
        )
    ]
    if pair is not None:
        draft = Q(shared_at__isnull=True)
        agreed_by_me = ThemeConsent.objects.filter(theme=OuterRef("pk"), user=user)
        themes = {
            "drafts": Count("pk", filter=draft),
            "waiting_for_me": Count("pk", filter=draft & ~Exists(agreed_by_me)),
            "shared": Count("pk", filter=~draft),
        }
        parts.append((Theme.objects.filter(pair=pair), themes))
    if Perm.GROUP_THEMES in perms:
        proposed = RecurringTheme.objects.filter(
            programme=programme, status=RecurringStatus.PROPOSED
        )
        ungrouped = shared_themes(programme).filter(recurring__isnull=True)
        parts += [(proposed, {"proposals": Count("pk")}), (ungrouped, {"ungrouped": Count("pk")})]
    if Perm.REQUEST_REPORT in perms:
        parts += register_figure_parts(programme)
    figures = aggregate_together(*parts)  # every figure of the panel in one query
    context: dict[str, Any] = {"pair": pair, **figures}
    if Perm.REQUEST_REPORT in perms:
        context["register"] = register_figures_from(figures)
    shows = pair is not None or context["actions"] or context.keys() & {"proposals", "register"}
    return context if shows else None
