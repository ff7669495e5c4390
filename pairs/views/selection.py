from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from organisations.permissions import OrgPerm, requires
from programmes.permissions import Perm

from ..forms import (
    ApplicationForm,
    CohortImportForm,
    DecisionForm,
    DiversityForm,
    MatchingSettingsForm,
    ProfileFilterForm,
    ProfileForm,
    SelectionNoteForm,
    SwapForm,
    suggested_words,
)
from ..models import DIVERSITY_PURPOSE, ApplicationLink, Pair, PairStatus, Profile
from ..selectors import (
    application_link_of,
    own_profile,
    pairs_of,
    profiles_of,
    publish_check,
    selection_notes,
    unmatched_selected,
)
from ..services import (
    PairsError,
    application_link_set,
    application_submit,
    cohort_import,
    decision_record,
    diversity_answers_give,
    diversity_consent_withdraw,
    matching_publish,
    matching_run,
    matching_settings_of,
    pair_forbid,
    pair_lock,
    pairs_swap,
    profile_update,
    selection_note_add,
)
from .common import not_understood

PAGE_SIZE = 25


@requires(Perm.SELECT, post=Perm.SELECT)
def candidates(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The cohort, seniors beside juniors with their one-pagers; the CSV import."""
    programme = request.programme
    form = CohortImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = cohort_import(
            programme=programme, data=form.cleaned_data["file"].read(), invited_by=request.user
        )
        if not report.parsed.errors:
            messages.success(
                request,
                f"{report.added + report.invited} people imported: {report.added} added, "
                f"{report.invited} invited by e-mail.",
            )
            return redirect("pairs:candidates", org_slug=org_slug, programme_id=programme_id)
    filters = ProfileFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    profiles = profiles_of(programme, **criteria)
    return render(
        request,
        "pairs/candidates.html",
        {
            "tab": "candidates",
            "form": form,
            "report": report,
            "filters": filters,
            "page": Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page")),
            "link": application_link_of(programme),
        },
        status=400 if report or form.errors else 200,
    )


def _profile(request: HttpRequest, profile_id: int) -> Profile:
    return get_object_or_404(Profile.objects.filter(programme=request.programme), pk=profile_id)


@requires(Perm.SELECT, post=Perm.SELECT)
def candidate(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    """One candidate's one-pager, the coordinator's private notes and red flags, the decision."""
    profile = _profile(request, profile_id)
    note_form = SelectionNoteForm(request.POST if "add_note" in request.POST else None)
    # "Show suggested words" (without JavaScript) starts the form again on the chosen decision.
    suggest = "suggest" in request.POST
    decision_form = DecisionForm(
        request.POST if "decide" in request.POST else None,
        words=suggested_words(request.programme.name),
        decision=request.POST.get("decision", "") if suggest else profile.decision,
    )
    if request.method == "POST":
        if "add_note" in request.POST and note_form.is_valid():
            selection_note_add(profile=profile, author=request.user, **note_form.cleaned_data)
            messages.success(request, "Note saved. Only coordinators can see it.")
            return redirect(request.path)
        if "decide" in request.POST and decision_form.is_valid():
            decision_record(profile=profile, **decision_form.cleaned_data)
            messages.success(
                request, f"{profile}: {profile.get_decision_display().lower()}; e-mail sent."
            )
            return redirect(request.path)
        if not {"add_note", "decide", "suggest"} & request.POST.keys():
            not_understood(request)
    return render(
        request,
        "pairs/candidate.html",
        {
            "tab": "candidates",
            "profile": profile,
            "notes": selection_notes(profile),
            "note_form": note_form,
            "decision_form": decision_form,
        },
        status=400 if request.method == "POST" and not suggest else 200,
    )


@requires(Perm.SELECT, post=Perm.SELECT)
def matching(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Run the engine, amend (swap, lock, forbid), re-run keeping locks, and publish."""
    programme = request.programme
    settings = matching_settings_of(programme)
    proposed = pairs_of(programme, PairStatus.PROPOSED)
    settings_form = MatchingSettingsForm(
        request.POST if "run" in request.POST else None, instance=settings
    )
    swap_form = SwapForm(request.POST if "swap" in request.POST else None, proposed=proposed)
    if request.method == "POST":
        try:
            if "run" in request.POST and settings_form.is_valid():
                with transaction.atomic():  # a run that fails keeps the old weights too
                    settings_form.save()
                    result = matching_run(programme=programme)
                messages.success(
                    request,
                    f"{len(result.pairs)} pairs proposed; "
                    f"{len(result.unmatched_seniors) + len(result.unmatched_juniors)} unmatched.",
                )
                return redirect(request.path)
            if "swap" in request.POST and swap_form.is_valid():
                try:
                    pairs_swap(**swap_form.cleaned_data)
                except PairsError as error:
                    swap_form.add_error(None, str(error))
                else:
                    messages.success(request, "Partners swapped; both pairs are now locked.")
                    return redirect(request.path)
            if "publish" in request.POST:  # a page from before publishing was confirmed
                return redirect("pairs:publish", org_slug=org_slug, programme_id=programme_id)
            if not {"run", "swap"} & request.POST.keys():
                not_understood(request)
        except PairsError as error:
            messages.error(request, str(error))
    return render(
        request,
        "pairs/matching.html",
        {
            "tab": "matching",
            "settings_form": settings_form,
            "swap_form": swap_form,
            "proposed": proposed,
            "published": pairs_of(programme, PairStatus.ACTIVE).count(),
            "unmatched": unmatched_selected(programme),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.SELECT, post=Perm.SELECT)
def publish(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Publishing is deliberate: what it will do (or why it must wait), then a confirmation."""
    check = publish_check(request.programme)
    if request.method == "POST":
        if request.POST.get("confirm") != "publish":
            messages.error(request, "Nothing was published: confirm with the button below.")
        elif request.POST.get("proposal") != check.key:
            messages.error(
                request,
                "Nothing was published: the proposed pairs changed after this page was opened. "
                "Check them again below.",
            )
        else:
            try:
                count = matching_publish(programme=request.programme, by=request.user)
            except PairsError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, f"{count} pairs published; {2 * count} partners introduced by e-mail."
                )
                return redirect("pairs:pairs", org_slug=org_slug, programme_id=programme_id)
    return render(
        request,
        "pairs/publish.html",
        {"tab": "matching", "check": check},
        status=400 if request.method == "POST" else 200,
    )


@requires(post=Perm.SELECT)
def proposal(request: HttpRequest, org_slug: str, programme_id: int, pair_id: int) -> HttpResponse:
    pair = get_object_or_404(Pair.objects.filter(programme=request.programme), pk=pair_id)
    try:
        if "forbid" in request.POST:
            pair_forbid(pair=pair)
            messages.success(request, f"{pair} will never be paired; run the matching again.")
        elif "lock" in request.POST or "unlock" in request.POST:
            pair_lock(pair=pair, locked="lock" in request.POST)
        else:
            not_understood(request)
    except PairsError as error:
        messages.error(request, str(error))
    return redirect("pairs:matching", org_slug=org_slug, programme_id=programme_id)


@requires(Perm.TAKE_PART, post=Perm.TAKE_PART)
def my_profile(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A participant's own profile and one-pager, and the optional diversity section."""
    profile = own_profile(request.programme, request.user)
    if profile is None:
        raise Http404("You have no profile in this programme.")
    form = ProfileForm(request.POST if "save_profile" in request.POST else None, instance=profile)
    existing = getattr(profile, "diversity", None)
    diversity_form = DiversityForm(
        request.POST if "save_diversity" in request.POST else None,
        initial={**(existing.answers if existing else {}), "consent": bool(existing)},
    )
    if request.method == "POST":
        if "withdraw" in request.POST:
            diversity_consent_withdraw(profile=profile)
            messages.success(request, "Consent withdrawn; your answers are erased.")
            return redirect(request.path)
        if "save_profile" in request.POST and form.is_valid():
            profile_update(profile=profile, values=form.cleaned_data)
            messages.success(request, "Profile saved.")
            return redirect(request.path)
        if "save_diversity" in request.POST and diversity_form.is_valid():
            diversity_answers_give(profile=profile, answers=diversity_form.answers())
            messages.success(request, "Thank you. Only you can see these answers.")
            return redirect(request.path)
        if not {"save_profile", "save_diversity"} & request.POST.keys():
            not_understood(request)
    return render(
        request,
        "pairs/my_profile.html",
        {
            "tab": "me",
            "profile": profile,
            "form": form,
            "diversity_form": diversity_form,
            "has_diversity": existing is not None,
            "purpose": DIVERSITY_PURPOSE,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.REVIEW_CANDIDATES)
def review(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Candidates side by side with their one-pagers: for coordinators, and for the
    steering-group members the coordinator has asked to review. No notes, no red flags."""
    filters = ProfileFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    criteria.pop("side", None)
    seniors = Paginator(profiles_of(request.programme, side="senior", **criteria), PAGE_SIZE)
    juniors = Paginator(profiles_of(request.programme, side="junior", **criteria), PAGE_SIZE)
    number = request.GET.get("page")
    senior_page, junior_page = seniors.get_page(number), juniors.get_page(number)
    return render(
        request,
        "pairs/review.html",
        {
            "tab": "review",
            "filters": filters,
            "seniors": senior_page,
            "juniors": junior_page,
            # The pager follows the longer side.
            "page": max(senior_page, junior_page, key=lambda page: page.paginator.count),
        },
    )


@requires(post=Perm.SELECT)
def applications(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    if "open" in request.POST or "close" in request.POST:
        link = application_link_set(programme=request.programme, is_open="open" in request.POST)
        messages.success(
            request, "Applications are open." if link.is_open else "Applications are closed."
        )
    else:
        not_understood(request)
    return redirect("pairs:candidates", org_slug=org_slug, programme_id=programme_id)


@requires(OrgPerm.VIEW, post=OrgPerm.VIEW)
def apply(request: HttpRequest, org_slug: str, token: str) -> HttpResponse:
    """The application link: any member of the organisation can put themselves forward."""
    link = (
        ApplicationLink.objects.filter(programme__organisation=request.organisation, token=token)
        .select_related("programme")
        .first()
    )
    if link is None:
        raise Http404("No such application link.")
    programme = link.programme
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": request.user.full_name},
    )
    if request.method == "POST" and link.is_open and form.is_valid():
        data = dict(form.cleaned_data)
        side = data.pop("side")
        try:
            application_submit(programme=programme, user=request.user, side=side, values=data)
        except PairsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Thank you for putting yourself forward. The coordinator will be in touch."
            )
            return redirect("pairs:my_profile", org_slug=org_slug, programme_id=programme.pk)
    return render(
        request,
        "pairs/apply.html",
        {"programme": programme, "link": link, "form": form},
        status=400 if form.errors else 200,
    )
