from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from organisations.permissions import OrgPerm, requires
from organisations.selectors import filter_people, person_rows

from ..forms import PeopleFilterForm, ProgrammeForm, ProgrammeMemberForm
from ..models import Programme
from ..permissions import Perm
from ..selectors import programme_members, programmes_visible_to
from ..services import programme_create, programme_invitation_create, programme_member_add
from .invitations import invitations_listing

PAGE_SIZE = 25


@requires(OrgPerm.VIEW)
def organisation_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's programmes that the person has a part in (an admin sees them all)."""
    programmes = programmes_visible_to(request.membership).order_by("-start_date")
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/home.html", {"page": page})


@requires(OrgPerm.CREATE_PROGRAMME, post=OrgPerm.CREATE_PROGRAMME)
def programme_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = ProgrammeForm(
        request.POST or None, instance=Programme(organisation=request.organisation)
    )
    if request.method == "POST" and form.is_valid():
        programme = programme_create(
            organisation=request.organisation, created_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            f"{programme.name} created with its ten stages and their checklists. "
            "Start with its purpose.",
        )
        return redirect("programmes:setup", org_slug=org_slug, programme_id=programme.pk)
    return render(
        request, "programmes/new.html", {"form": form}, status=400 if form.errors else 200
    )


@requires(Perm.MANAGE_PEOPLE, post=Perm.MANAGE_PEOPLE)
def people(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = request.programme
    form = ProgrammeMemberForm(
        request.POST or None,
        programme=programme,
        organisation=request.organisation,
        requester=request.user,
        requester_is_admin=request.membership.is_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.membership:
            programme_member_add(
                programme=programme,
                user=form.membership.user,
                role=data["role"],
                side=data["side"],
                granted_by=request.user,
            )
            messages.success(request, f"{form.membership.user} added.")
        else:
            programme_invitation_create(
                programme=programme,
                email=data["email"],
                full_name=data["full_name"],
                invited_by=request.user,
                role=data["role"],
                side=data["side"],
            )
            messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("programmes:people", org_slug=org_slug, programme_id=programme_id)
    filters = PeopleFilterForm(request.GET or None)
    members = programme_members(programme)
    criteria = filters.criteria()
    members = filter_people(members, **criteria)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/people.html",
        {
            "tab": "people",
            "form": form,
            "filters": filters,
            "page": page,
            "rows": person_rows(request.organisation, page),
            # The same filters narrow whom the programme invited.
            "invited": invitations_listing(request, **criteria, filtered=any(criteria.values())),
        },
        status=400 if form.errors else 200,
    )
