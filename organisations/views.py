from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from .actions import back_to, invitation_cancel_attempt, invitation_resend_attempt
from .erasure import account_erase, member_erase
from .forms import (
    AccountDeleteForm,
    AccountNameForm,
    AuditFilterForm,
    InvitationForm,
    MemberEraseForm,
    MemberFilterForm,
    OrganisationForm,
    RetentionForm,
)
from .middleware import LAST_ORG_COOKIE
from .models import Invitation, PersonalExport
from .permissions import OrgPerm, requires
from .personal_exports import personal_export_downloaded, personal_export_request
from .selectors import (
    audit_entries,
    audit_rows,
    filter_people,
    invitation_by_token,
    invitation_purposes,
    memberships_of,
    memberships_of_request,
    open_invitation_rows,
    open_invitations,
    organisation_members,
    own_exports,
    person_rows,
)
from .services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    organisation_create,
    organisation_retention_set,
    user_name_set,
)
from .sign_in import (
    domains_of,
    mfa_requirement_set,
    single_sign_on_of,
    single_sign_on_remove,
    single_sign_on_save,
    single_sign_on_start_url,
)
from .sign_in_forms import MfaRequirementForm, SingleSignOnForm, SingleSignOnStartForm

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    """Sign-in landing for visitors; the last organisation used (or a chooser) for members."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    memberships = memberships_of_request(request)
    slugs = [m.organisation.slug for m in memberships]
    last = request.COOKIES.get(LAST_ORG_COOKIE)
    if last in slugs:
        return redirect("organisation_start", org_slug=last)
    if len(slugs) == 1:
        return redirect("organisation_start", org_slug=slugs[0])
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
    return render(
        request, "organisations/new.html", {"form": form}, status=400 if form.errors else 200
    )


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
    waiting = Paginator(open_invitations(organisation), PAGE_SIZE)
    invitations_page = waiting.get_page(request.GET.get("invitations"))
    return render(
        request,
        "organisations/members.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": person_rows(organisation, page),
            "invitations_page": invitations_page,
            "invitations": open_invitation_rows(organisation, invitations_page),
        },
        status=400 if form.errors else 200,
    )


def _organisations_invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.filter(organisation=request.organisation), pk=invitation_id
    )


@requires(post=OrgPerm.MANAGE_MEMBERS)
def member_invitation_resend_view(
    request: HttpRequest, org_slug: str, invitation_id: int
) -> HttpResponse:
    invitation_resend_attempt(request, _organisations_invitation(request, invitation_id))
    members_page = reverse("members", args=[org_slug])
    return back_to(request, {members_page}, members_page)


@requires(post=OrgPerm.MANAGE_MEMBERS)
def member_invitation_cancel_view(
    request: HttpRequest, org_slug: str, invitation_id: int
) -> HttpResponse:
    invitation = _organisations_invitation(request, invitation_id)
    invitation_cancel_attempt(request, invitation, request.user)
    members_page = reverse("members", args=[org_slug])
    return back_to(request, {members_page}, members_page)


@requires(OrgPerm.READ_AUDIT)
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Who did what to which record, and when: read-only, newest first."""
    filters = AuditFilterForm(request.GET or None)
    criteria = filters.criteria()
    entries = audit_entries(request.organisation, **criteria)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/audit_log.html",
        {"filters": filters, "page": page, "rows": audit_rows(request.organisation, page)},
        status=400 if filters.errors else 200,
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
    if invitation.cancelled_at is not None and invitation.accepted_at is None:
        # Its link no longer works: it proves nothing and accepts nothing.
        return render(request, "organisations/invitation.html", context, status=410)
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
        return redirect("organisation_start", org_slug=invitation.organisation.slug)
    return render(request, "organisations/invitation.html", context)


@requires(OrgPerm.MANAGE_DATA_PROTECTION, post=OrgPerm.MANAGE_DATA_PROTECTION)
def data_protection(request: HttpRequest, org_slug: str) -> HttpResponse:
    """How long programmes' personal data is kept, and what the organisation does about it."""
    organisation = request.organisation
    form = RetentionForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation_retention_set(
            organisation=organisation,
            months=form.cleaned_data["retention_months"],
            by=request.user,
        )
        messages.success(request, "The retention period is saved.")
        return redirect("data_protection", org_slug=org_slug)
    return render(
        request,
        "organisations/data_protection.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@requires(OrgPerm.MANAGE_MEMBERS, post=OrgPerm.MANAGE_MEMBERS)
def member_erase_view(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    """Erase a member and everything the organisation holds about them, once confirmed."""
    membership = get_object_or_404(
        organisation_members(request.organisation).exclude(user=request.user), pk=membership_id
    )
    form = MemberEraseForm(request.POST or None, person=membership.user)
    if request.method == "POST" and form.is_valid():
        member_erase(membership=membership, by=request.user)
        messages.success(request, "The member and their personal data are erased.")
        return redirect("members", org_slug=org_slug)
    return render(
        request,
        "organisations/member_erase.html",
        {"form": form, "membership": membership},
        status=400 if form.errors else 200,
    )


@requires(OrgPerm.VIEW, post=OrgPerm.VIEW)
def my_data(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A person's own data: a copy to download (prepared by the worker) and deleting the account."""
    if request.method == "POST":
        export = personal_export_request(
            organisation=request.organisation, person=request.user, requested_by=request.user
        )
        return redirect("my_data_export", org_slug=org_slug, export_id=export.pk)
    exports = own_exports(request.organisation, request.user)
    page = Paginator(exports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/my_data.html",
        {"page": page, "export_days": settings.PERSONAL_EXPORT_DAYS},
    )


def _own_export(request: HttpRequest, export_id: int) -> PersonalExport:
    return get_object_or_404(own_exports(request.organisation, request.user), pk=export_id)


@requires(OrgPerm.VIEW)
def my_data_export(request: HttpRequest, org_slug: str, export_id: int) -> HttpResponse:
    export = _own_export(request, export_id)
    template = "organisations/_export_status.html" if request.htmx else "organisations/export.html"
    waited = (timezone.now() - export.created_at).total_seconds()
    return render(
        request,
        template,
        {"export": export, "keeps_polling": waited < settings.REPORT_POLL_SECONDS},
    )


@requires(OrgPerm.VIEW)
def my_data_download(request: HttpRequest, org_slug: str, export_id: int) -> FileResponse:
    export = _own_export(request, export_id)
    if not export.is_downloadable:
        raise Http404("This export is not available.")
    personal_export_downloaded(export=export, by=request.user)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"my-data-{request.organisation.slug}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """A person deletes their account: their personal data in every organisation goes with it."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = request.user
        logout(request)
        account_erase(person=person)
        messages.success(request, "Your account and your personal data are deleted.")
        return redirect("home")
    return render(
        request,
        "organisations/account_delete.html",
        {"form": form, "memberships": memberships_of(request.user)},
        status=400 if form.errors else 200,
    )


@requires(OrgPerm.MANAGE_SIGN_IN, post=OrgPerm.MANAGE_SIGN_IN)
def sign_in_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    """How people sign in to the organisation: a second factor for those who read confidential
    data, and single sign-on for its e-mail domains. Each form posts on its own."""
    organisation = request.organisation
    current = single_sign_on_of(organisation)
    domains = domains_of(organisation)
    part = request.POST.get("part") if request.method == "POST" else None
    mfa_form = MfaRequirementForm(
        request.POST if part == "mfa" else None,
        admin=request.user,
        initial={"mfa_required": "yes" if organisation.mfa_required else "no"},
    )
    sso_form = SingleSignOnForm(
        request.POST if part == "sso" else None,
        organisation=organisation,
        admin=request.user,
        has_secret=bool(current and current.app.secret),
        initial=SingleSignOnForm.initial_from(current, domains),
    )
    if part == "mfa" and mfa_form.is_valid():
        mfa_requirement_set(
            organisation=organisation,
            required=mfa_form.cleaned_data["mfa_required"],
            by=request.user,
        )
        messages.success(request, "The two-factor requirement is saved.")
        return redirect("sign_in_settings", org_slug=org_slug)
    if part == "sso" and sso_form.is_valid():
        data = sso_form.cleaned_data
        single_sign_on_save(
            organisation=organisation,
            by=request.user,
            protocol=data["protocol"],
            domains=data["domains"],
            allow_join=data["allow_join"],
            app_settings=sso_form.app_settings(),
            client_id=data["client_id"],
            secret=data["secret"],
        )
        messages.success(request, "Single sign-on is saved.")
        return redirect("sign_in_settings", org_slug=org_slug)
    invalid = request.method == "POST"
    if invalid and part not in ("mfa", "sso"):
        messages.error(request, "Nothing was saved: use one of the forms below.")
    current_app = current.app if current else None
    return render(
        request,
        "organisations/sign_in_settings.html",
        {
            "mfa_form": mfa_form,
            "sso_form": sso_form,
            "single_sign_on": current,
            "domains": domains,
            "saml_urls": _saml_urls(request, current_app),
        },
        status=400 if invalid else 200,
    )


def _saml_urls(request: HttpRequest, app: object) -> dict[str, str] | None:
    """What the organisation's SAML identity provider needs to know of us."""
    if app is None or getattr(app, "provider", "") != "saml":
        return None
    kwargs = {"organization_slug": app.client_id}
    return {
        "entity_id": request.build_absolute_uri(reverse("saml_metadata", kwargs=kwargs)),
        "acs": request.build_absolute_uri(reverse("saml_acs", kwargs=kwargs)),
    }


@requires(post=OrgPerm.MANAGE_SIGN_IN)
def single_sign_on_remove_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    single_sign_on_remove(organisation=request.organisation, by=request.user)
    messages.success(request, "Single sign-on is removed: everyone signs in with a password.")
    return redirect("sign_in_settings", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
def single_sign_on_start(request: HttpRequest) -> HttpResponse:
    """E-mail first: a person of a domain with single sign-on is sent to its identity provider."""
    form = SingleSignOnStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(single_sign_on_start_url(request, form.single_sign_on))
    return render(
        request,
        "organisations/single_sign_on_start.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )
