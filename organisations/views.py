from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from programmes.forms import NotificationSettingsForm
from programmes.selectors import notifications_of, programmes_visible_to
from programmes.services import notifications_mark_read, reminder_emails_set

from .forms import AccountNameForm, InvitationForm, MemberFilterForm, OrganisationForm
from .middleware import LAST_ORG_SESSION_KEY
from .permissions import OrgPerm, requires
from .selectors import (
    filter_people,
    invitation_by_token,
    memberships_of,
    open_invitations,
    organisation_members,
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


@requires(OrgPerm.VIEW)
def organisation_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    programmes = programmes_visible_to(request.membership).order_by("-start_date")
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/home.html", {"page": page})


@requires(OrgPerm.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
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
    return render(
        request,
        "organisations/members.html",
        {
            "form": form,
            "filters": filters,
            "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
            "invitations": open_invitations(organisation)[:50],
        },
    )


@requires(OrgPerm.VIEW)
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A person's reminders in the app, and their choice of whether to get the daily e-mail."""
    now = timezone.now()
    form = NotificationSettingsForm(
        request.POST if "save_settings" in request.POST else None, instance=request.membership
    )
    if request.method == "POST":
        if "mark_read" in request.POST:
            notifications_mark_read(organisation=request.organisation, user=request.user, now=now)
            messages.success(request, "All notifications marked as read.")
        elif form.is_valid():
            enabled = form.cleaned_data["reminder_emails"]
            reminder_emails_set(membership=request.membership, enabled=enabled)
            messages.success(
                request,
                "You will get a daily digest e-mail."
                if enabled
                else "E-mails are off. Your reminders still appear here.",
            )
        return redirect("notifications", org_slug=org_slug)
    items = notifications_of(request.organisation, request.user, now)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/notifications.html", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    here = reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "here": here}
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
