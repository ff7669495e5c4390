"""A combined session's agenda of recurring themes with their leads, and its analysis."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from organisations.models import User
from organisations.panels import panels_for
from organisations.permissions import requires
from programmes.models import GroupSession
from programmes.permissions import Perm

from ..forms import AgendaAddForm, LeadForm
from ..models import AgendaItem
from ..pages import ANALYSIS_PAGE
from ..selectors import accepted_recurring, facilitates, is_invited
from ..services import (
    agenda_item_add,
    agenda_item_remove,
    analysis_content,
    analysis_send,
    lead_confirm,
    lead_offer,
    lead_offer_withdraw,
)
from .common import acted_saying, attempt, back


def _session(request: HttpRequest, session_id: int) -> GroupSession:
    session = get_object_or_404(
        GroupSession.objects.filter(programme=request.programme).select_related(
            "supervision__facilitator__user", "theme_analysis"
        ),
        pk=session_id,
    )
    session.programme = request.programme  # its name and organisation without more queries
    return session


def _item(request: HttpRequest, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(session__programme=request.programme).select_related("session"),
        pk=item_id,
    )


def _to_session(request: HttpRequest, session: GroupSession) -> HttpResponse:
    return back(request, "supervision:group_session", session.pk)


@requires(post=Perm.GROUP_THEMES)
def agenda_add(request: HttpRequest, org_slug: str, programme_id: int, session_id: int):
    session = _session(request, session_id)
    form = AgendaAddForm(request.POST, recurring=accepted_recurring(request.programme))
    acted_saying(
        request,
        form,
        lambda data: agenda_item_add(session=session, recurring=data["recurring"]),
        "On the agenda. Participants can now volunteer to lead it.",
    )
    return _to_session(request, session)


@requires(post=Perm.GROUP_THEMES)
def agenda_remove(request: HttpRequest, org_slug: str, programme_id: int, item_id: int):
    item = _item(request, item_id)
    attempt(request, lambda: agenda_item_remove(item=item), "Taken off the agenda.")
    return _to_session(request, item.session)


@requires(post=Perm.TAKE_PART)
def lead_offer_view(request: HttpRequest, org_slug: str, programme_id: int, item_id: int):
    item = _item(request, item_id)
    attempt(
        request,
        lambda: lead_offer(item=item, user=request.user),
        "Thank you for volunteering; the coordinator confirms the leads.",
    )
    return _to_session(request, item.session)


@requires(post=Perm.TAKE_PART)
def lead_withdraw_view(request: HttpRequest, org_slug: str, programme_id: int, item_id: int):
    item = _item(request, item_id)
    attempt(request, lambda: lead_offer_withdraw(item=item, user=request.user), "Withdrawn.")
    return _to_session(request, item.session)


@requires(post=Perm.GROUP_THEMES)
def lead_confirm_view(request: HttpRequest, org_slug: str, programme_id: int, item_id: int):
    item = _item(request, item_id)
    volunteers = User.objects.filter(pk__in=item.offers.values("user"))
    form = LeadForm(request.POST, prefix=f"lead{item.pk}", volunteers=list(volunteers))
    acted_saying(
        request, form, lambda data: lead_confirm(item=item, user=data["lead"]), "Lead saved."
    )
    return _to_session(request, item.session)


def _may_read_analysis(request: HttpRequest, session: GroupSession) -> bool:
    """Those invited, the facilitators and the coordinators."""
    return (
        Perm.GROUP_THEMES in request.programme_perms
        or facilitates(request.programme, request.user)
        or is_invited(session, request.user)
    )


@requires(Perm.VIEW_PROGRAMME)
def analysis(request: HttpRequest, org_slug: str, programme_id: int, session_id: int):
    """The analysis as it went out; before that, the coordinator sees what it would say."""
    session = _session(request, session_id)
    if not _may_read_analysis(request, session):
        raise Http404("The analysis goes to the people invited to the session.")
    sent = getattr(session, "theme_analysis", None)  # read with the session
    if sent is None and Perm.GROUP_THEMES not in request.programme_perms:
        raise Http404("The analysis for this session has not gone out yet.")
    content = sent.content if sent else analysis_content(session, timezone.now())
    return render(
        request,
        "themes/analysis.html",
        {
            "tab": "themes",
            "session": session,
            "sent": sent,
            "content": content,
            "panels": panels_for(ANALYSIS_PAGE, request, session=session, analysis=sent),
        },
    )


@requires(post=Perm.GROUP_THEMES)
def analysis_send_now(request: HttpRequest, org_slug: str, programme_id: int, session_id: int):
    """The coordinator sends it now rather than waiting for its day."""
    session = _session(request, session_id)
    if analysis_send(session=session, now=timezone.now()) is None:
        messages.error(request, "The analysis for this session has already gone out.")
    else:
        messages.success(request, "The analysis has gone to everyone invited and the facilitator.")
    return back(request, "themes:analysis", session.pk)
