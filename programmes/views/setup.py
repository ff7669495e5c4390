"""Purpose and scope, the top team's sign-off, the ethics statement, the steering group and
readiness against the six standards."""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisations.permissions import requires
from organisations.roles import Role

from ..forms import (
    AcknowledgementsFilterForm,
    EthicsForm,
    SetupForm,
    SignOffForm,
    SteeringAddForm,
    SteeringMemberForm,
    SuccessMeasureFormSet,
)
from ..models import CommissioningSignOff, ProgrammeMember
from ..permissions import Perm, before_ethics
from ..selectors import (
    ethics_acknowledgements,
    has_acknowledged,
    programme_readiness,
    sign_off_of,
    steering_group,
    steering_size,
    success_measures,
)
from ..services import (
    SETUP_FIELDS,
    ProgrammeError,
    ethics_acknowledge,
    ethics_statement_set,
    programme_invitation_create,
    programme_member_add,
    programme_setup_update,
    sign_off_record,
    steering_member_remove,
    steering_member_update,
    success_measures_set,
)
from .invitations import invitations_listing

PAGE_SIZE = 25


@requires(Perm.VIEW_SETUP, post=Perm.EDIT_PROGRAMME)
def setup(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Purpose, scope, success measures and the programme's settings."""
    programme = request.programme
    may_edit = Perm.EDIT_PROGRAMME in request.programme_perms
    # A copy, so an invalid submission never shows up in the page's title and tabs as if saved.
    form = SetupForm(request.POST or None, instance=copy.copy(programme))
    measures = SuccessMeasureFormSet(
        request.POST or None,
        prefix="measures",
        initial=[{"text": m.text} for m in success_measures(programme)],
    )
    if request.method == "POST" and form.is_valid() and measures.is_valid():
        programme_setup_update(
            programme=programme, **{f: form.cleaned_data[f] for f in SETUP_FIELDS}
        )
        success_measures_set(
            programme=programme,
            texts=[
                f.cleaned_data.get("text", "")
                for f in measures.forms
                if not f.cleaned_data.get("DELETE")
            ],
        )
        messages.success(request, "Purpose and scope saved.")
        return redirect("programmes:setup", org_slug=org_slug, programme_id=programme_id)
    sign_off = sign_off_of(programme)
    return render(
        request,
        "programmes/setup.html",
        {
            "tab": "setup",
            "form": form,
            "measures": measures,
            "may_edit": may_edit,
            "sign_off": sign_off,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.SIGN_OFF, post=Perm.SIGN_OFF)
def sign_off(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The executive sponsor records the top team's sign-off; stage 1 cannot finish without it."""
    existing = sign_off_of(request.programme)
    form = SignOffForm(
        request.POST or None,
        instance=copy.copy(existing) or CommissioningSignOff(programme=request.programme),
    )
    if request.method == "POST" and form.is_valid():
        sign_off_record(programme=request.programme, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, "The top team's sign-off is recorded.")
        return redirect("programmes:setup", org_slug=org_slug, programme_id=programme_id)
    return render(
        request,
        "programmes/sign_off.html",
        {"tab": "setup", "form": form, "sign_off": existing},
        status=400 if form.errors else 200,
    )


@requires(Perm.VIEW_PROGRAMME, post=Perm.EDIT_PROGRAMME)
@before_ethics
def ethics(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The ground rules: everyone reads them, participants acknowledge them, coordinators edit."""
    programme = request.programme
    may_edit = Perm.EDIT_PROGRAMME in request.programme_perms
    form = EthicsForm(
        request.POST or None, initial={"ethics_statement": programme.ethics_statement}
    )
    if request.method == "POST" and form.is_valid():
        version = programme.ethics_version
        ethics_statement_set(programme=programme, text=form.cleaned_data["ethics_statement"])
        if programme.ethics_version != version:
            messages.success(
                request,
                f"Version {programme.ethics_version} saved. Every participant will be asked "
                "to acknowledge it before they go on.",
            )
        return redirect("programmes:ethics", org_slug=org_slug, programme_id=programme_id)
    filters = AcknowledgementsFilterForm(request.GET or None)
    criteria = filters.criteria()
    acknowledgements = None
    if may_edit:
        rows = ethics_acknowledgements(programme)
        if criteria.get("name"):
            rows = rows.filter(user__full_name__icontains=criteria["name"])
        if criteria.get("waiting"):
            rows = rows.filter(acknowledged=False)
        acknowledgements = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/ethics.html",
        {
            "tab": "ethics",
            "form": form,
            "may_edit": may_edit,
            "is_participant": Role.PARTICIPANT in request.programme_roles,
            "acknowledged": has_acknowledged(programme, request.user),
            "page": acknowledgements,
            "filters": filters,
            "filtered": any(criteria.values()),
        },
        status=400 if form.errors else 200,
    )


@requires(post=Perm.TAKE_PART)
@before_ethics
def ethics_acknowledge_view(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    try:
        ethics_acknowledge(programme=request.programme, user=request.user)
    except ProgrammeError as error:
        messages.error(request, str(error))
        return redirect("programmes:ethics", org_slug=org_slug, programme_id=programme_id)
    messages.success(request, "Thank you. Your acknowledgement is recorded.")
    return redirect("programmes:timeline", org_slug=org_slug, programme_id=programme_id)


@dataclass(frozen=True)
class MemberRow:
    """A steering-group member with the form that changes what they represent or chair."""

    member: ProgrammeMember
    form: SteeringMemberForm


def _steering_page(
    request: HttpRequest,
    form: SteeringAddForm | None = None,
    editing: SteeringMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    programme = request.programme
    may_edit = Perm.EDIT_PROGRAMME in request.programme_perms
    members = [
        MemberRow(
            member,
            editing
            if editing is not None and editing.prefix == f"m{member.pk}"
            else SteeringMemberForm(instance=member, prefix=f"m{member.pk}"),
        )
        for member in steering_group(programme)
    ]
    return render(
        request,
        "programmes/steering.html",
        {
            "tab": "steering",
            "members": members,
            "size": steering_size(programme),
            "invited": invitations_listing(request, role=Role.STEERING),
            "may_edit": may_edit,
            "form": form or SteeringAddForm(programme=programme, organisation=request.organisation),
        },
        status=status,
    )


@requires(Perm.VIEW_SETUP, post=Perm.EDIT_PROGRAMME)
def steering(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    if request.method == "GET":
        return _steering_page(request)
    form = SteeringAddForm(
        request.POST, programme=request.programme, organisation=request.organisation
    )
    if not form.is_valid():
        return _steering_page(request, form, status=400)
    data = form.cleaned_data
    if form.membership:
        programme_member_add(
            programme=request.programme,
            user=form.membership.user,
            role=Role.STEERING,
            stakeholder_group=data["stakeholder_group"],
            is_chair=data["is_chair"],
            granted_by=request.user,
        )
        messages.success(request, f"{form.membership.user} joined the steering group.")
    else:
        programme_invitation_create(
            programme=request.programme,
            email=data["email"],
            full_name=data["full_name"],
            invited_by=request.user,
            role=Role.STEERING,
            stakeholder_group=data["stakeholder_group"],
        )
        messages.success(
            request,
            f"Invitation sent to {data['email']}; they join once they accept."
            + (" Name them chair then." if data["is_chair"] else ""),
        )
    return redirect("programmes:steering", org_slug=org_slug, programme_id=programme_id)


def _steering_member(request: HttpRequest, member_id: int) -> ProgrammeMember:
    return get_object_or_404(
        ProgrammeMember.objects.filter(programme=request.programme, role=Role.STEERING),
        pk=member_id,
    )


@requires(post=Perm.EDIT_PROGRAMME)
def steering_member(
    request: HttpRequest, org_slug: str, programme_id: int, member_id: int
) -> HttpResponse:
    member = _steering_member(request, member_id)
    # The form checks a copy: the service decides what changes (who reviews candidates is the
    # coordinator's choice), and an invalid post leaves the page as saved.
    form = SteeringMemberForm(request.POST, instance=copy.copy(member), prefix=f"m{member.pk}")
    if not form.is_valid():
        return _steering_page(request, editing=form, status=400)
    data = dict(form.cleaned_data)
    # Who reviews candidates is the coordinator's choice, and never one's own.
    if Perm.SELECT not in request.programme_perms or member.user_id == request.user.pk:
        data["reviews_candidates"] = None
    steering_member_update(member=member, **data)
    messages.success(request, f"{member.user} saved.")
    return redirect("programmes:steering", org_slug=org_slug, programme_id=programme_id)


@requires(post=Perm.EDIT_PROGRAMME)
def steering_member_leave(
    request: HttpRequest, org_slug: str, programme_id: int, member_id: int
) -> HttpResponse:
    member = _steering_member(request, member_id)
    steering_member_remove(member=member, by=request.user)
    messages.success(request, f"{member.user} left the steering group.")
    return redirect("programmes:steering", org_slug=org_slug, programme_id=programme_id)


@requires(Perm.VIEW_SETUP)
def readiness(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return render(
        request,
        "programmes/readiness.html",
        {
            "tab": "readiness",
            "readiness": programme_readiness(request.programme, timezone.localdate()),
        },
    )
