from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from .forms import AccountNameForm, InvitationForm, MemberFilterForm, OrganisationForm
from .middleware import LAST_ORG_SESSION_KEY
from .permissions import OrgPerm, requires
from .selectors import (
    filter_people,
    invitation_by_token,
    invitation_purposes,
    memberships_of,
    open_invitation_rows,
    organisation_members,
    person_rows,
)
from .services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    organisation_create,
    user_name_set,
)

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    """Sign-in landing for visitors; the last organisation used (or a chooser) for members."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    memberships = list(memberships_of(request.user))
    slugs = [m.organisation.slug for m in memberships]
    last = request.session.get(LAST_ORG_SESSION_KEY)
    if last in slugs:
        return redirect("organisation", org_slug=last)
    if len(slugs) == 1:
        return redirect("organisation", org_slug=slugs[0])
    return render(request, "organisations/choose.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def account_name(request: HttpRequest) -> HttpResponse:
    """The name everyone sees: in lists, on the partner's page and in every e-mail."""
    form = AccountNameForm(request.POST or None, instance=request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        user_name_set(user=request.user, full_name=form.cleaned_data["full_name"])
        messages.success(request, "Your name is saved.")
        return redirect(next_url or "home")
    return render(
        request,
        "organisations/account_name.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = organisation_create(
            name=form.cleaned_data["name"],
            time_zone=form.cleaned_data["time_zone"],
            creator=request.user,
        )
        messages.success(request, f"{organisation.name} is ready. Invite your colleagues next.")
        return redirect("organisation", org_slug=organisation.slug)
    return render(request, "organisations/new.html", {"form": form})


@requires(OrgPerm.MANAGE_MEMBERS, post=OrgPerm.MANAGE_MEMBERS)
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        invitation_create(
            organisation=organisation,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("members", org_slug=org_slug)
    filters = MemberFilterForm(request.GET or None)
    people = organisation_members(organisation)
    if filters.is_valid():
        people = filter_people(people, **filters.cleaned_data)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/members.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": person_rows(organisation, page),
            "invitations": open_invitation_rows(organisation, limit=50),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    here = reverse("invitation_accept", args=[token])
    with scope(organisation=invitation.organisation):  # the visitor is not a member yet
        purpose = invitation_purposes([invitation])[invitation.pk]
    context = {"invitation": invitation, "here": here, "purpose": purpose}
    if not request.user.is_authenticated:
        # The link came to this address, so a sign-up with it needs no second verification.
        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "organisations/invitation.html", context)
    if request.method == "POST":
        try:
            with scope(organisation=invitation.organisation):
                invitation_accept(invitation=invitation, user=request.user)
        except InvitationError as error:
            messages.error(request, str(error))
            return redirect(here)
        messages.success(request, f"Welcome to {invitation.organisation.name}.")
        return redirect("organisation", org_slug=invitation.organisation.slug)
    return render(request, "organisations/invitation.html", context)
