"""Invitations to the programme, shown where its people are managed (the People and the Steering
group pages): whom it invited, where each invitation stands, and sending one again or
cancelling it, through the organisation's own invitation services."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from organisations.actions import back_to, invitation_cancel_attempt, invitation_resend_attempt
from organisations.models import InvitationState
from organisations.permissions import requires

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
    pages = {reverse(name, args=[org_slug, programme_id]) for name in LIST_PAGES}
    return back_to(request, pages, reverse(LIST_PAGES[0], args=[org_slug, programme_id]))


@requires(post=Perm.MANAGE_PEOPLE)
def invitation_resend_view(
    request: HttpRequest, org_slug: str, programme_id: int, invitation_id: int
) -> HttpResponse:
    invitation_resend_attempt(request, _promise(request, invitation_id).invitation)
    return _back(request, org_slug, programme_id)


@requires(post=Perm.MANAGE_PEOPLE)
def invitation_cancel_view(
    request: HttpRequest, org_slug: str, programme_id: int, invitation_id: int
) -> HttpResponse:
    invitation_cancel_attempt(request, _promise(request, invitation_id).invitation, request.user)
    return _back(request, org_slug, programme_id)
