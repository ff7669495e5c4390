"""Invitations to the programme, shown where its people are managed (the People and the Steering
group pages): whom it invited, where each invitation stands, and sending one again or
cancelling it, through the organisation's own invitation services."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from organisations.models import InvitationState
from organisations.permissions import requires
from organisations.services import InvitationError, invitation_cancel, invitation_resend

from ..models import ProgrammeInvitation
from ..permissions import Perm
from ..selectors import (
    invitation_counts,
    invitation_rows,
    invitations_in_state,
    programme_invitations,
)

PAGE_SIZE = 25
# The list's own query parameters, apart from those of the page it stands on.
STATE_PARAM, PAGE_PARAM = "state", "invited_page"
# The pages the list stands on, where its buttons lead back to.
LIST_PAGES = ("programmes:people", "programmes:steering")


@dataclass(frozen=True)
class StateFilter:
    label: str
    state: str  # "" for every state
    count: int
    current: bool


def invitations_listing(
    request: HttpRequest, *, role: str = "", q: str = "", filtered: bool = False
) -> dict[str, object]:
    """The context of programmes/_invitations.html: the programme's invitations (to `role`, or
    all; by name or address `q`), a page of them in the state the page asks for, and how many
    stand in each state. `filtered` says the page's own filters narrowed them."""
    invitations = programme_invitations(request.programme, role=role, q=q)
    counts = invitation_counts(invitations)
    state = request.GET.get(STATE_PARAM, "")
    if state not in InvitationState.values:
        state = ""
    page = Paginator(invitations_in_state(invitations, state), PAGE_SIZE).get_page(
        request.GET.get(PAGE_PARAM)
    )
    filters = [
        StateFilter("All", "", counts[""], state == ""),
        *(StateFilter(s.label, s.value, counts[s], state == s) for s in InvitationState),
    ]
    return {
        "page": page,
        "rows": invitation_rows(request.organisation, page),
        "filters": filters,
        "state": state,
        "total": counts[""],
        "counts": {str(state): n for state, n in counts.items()},
        "filtered": filtered,
    }


def _promise(request: HttpRequest, invitation_id: int) -> ProgrammeInvitation:
    """One of this programme's invitations: any other (another programme's, another
    organisation's, or one to the organisation alone) is not found."""
    return get_object_or_404(
        ProgrammeInvitation.objects.filter(programme=request.programme).select_related(
            "invitation"
        ),
        invitation_id=invitation_id,
    )


def _back(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """To the list the button stood in, with its filters and page; else the People page."""
    target = request.POST.get("next", "")
    pages = {reverse(name, args=[org_slug, programme_id]) for name in LIST_PAGES}
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc and parts.path in pages:
        return redirect(target)
    return redirect("programmes:people", org_slug=org_slug, programme_id=programme_id)


def _whom(promise: ProgrammeInvitation) -> str:
    return promise.invitation.full_name or promise.invitation.email


@requires(post=Perm.MANAGE_PEOPLE)
def invitation_resend_view(
    request: HttpRequest, org_slug: str, programme_id: int, invitation_id: int
) -> HttpResponse:
    promise = _promise(request, invitation_id)
    try:
        invitation = invitation_resend(invitation=promise.invitation)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        until = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        messages.success(
            request,
            f"The invitation to {_whom(promise)} is sent again; its link works until {until}.",
        )
    return _back(request, org_slug, programme_id)


@requires(post=Perm.MANAGE_PEOPLE)
def invitation_cancel_view(
    request: HttpRequest, org_slug: str, programme_id: int, invitation_id: int
) -> HttpResponse:
    promise = _promise(request, invitation_id)
    try:
        invitation_cancel(invitation=promise.invitation, by=request.user)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The invitation to {_whom(promise)} is cancelled; its link no longer works.",
        )
    return _back(request, org_slug, programme_id)
