from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from organisations.permissions import Perm, requires

from .forms import (
    DEFAULT_DECISION_WORDS,
    CohortImportForm,
    DecisionForm,
    DiversityForm,
    MatchingSettingsForm,
    ProfileFilterForm,
    ProfileForm,
    SelectionNoteForm,
    SwapForm,
)
from .models import DIVERSITY_PURPOSE, Decision, Pair, PairStatus, Profile
from .selectors import (
    current_pair_of,
    own_profile,
    pairs_of,
    profiles_of,
    selection_notes,
    unmatched_selected,
)
from .services import (
    PairsError,
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

PAGE_SIZE = 25


@requires(Perm.SELECT)
@require_http_methods(["GET", "POST"])
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
        },
        status=400 if report or form.errors else 200,
    )


def _profile(request: HttpRequest, profile_id: int) -> Profile:
    return get_object_or_404(Profile.objects.filter(programme=request.programme), pk=profile_id)


@requires(Perm.SELECT)
@require_http_methods(["GET", "POST"])
def candidate(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    """One candidate's one-pager, the coordinator's private notes and red flags, the decision."""
    profile = _profile(request, profile_id)
    note_form = SelectionNoteForm(request.POST if "add_note" in request.POST else None)
    words = DEFAULT_DECISION_WORDS[Decision.SELECTED]
    decision_form = DecisionForm(
        request.POST if "decide" in request.POST else None,
        initial={
            "decision": Decision.SELECTED,
            "subject": words[0].format(programme=request.programme.name),
            "body": words[1].format(programme=request.programme.name),
        },
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
    return render(
        request,
        "pairs/candidate.html",
        {
            "tab": "candidates",
            "profile": profile,
            "notes": selection_notes(profile),
            "note_form": note_form,
            "decision_form": decision_form,
            "decision_words": {
                d.value: [w.format(programme=request.programme.name) for w in words]
                for d, words in DEFAULT_DECISION_WORDS.items()
            },
        },
        status=400 if note_form.errors or decision_form.errors else 200,
    )


@requires(Perm.SELECT)
@require_http_methods(["GET", "POST"])
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
                settings_form.save()
                result = matching_run(programme=programme)
                messages.success(
                    request,
                    f"{len(result.pairs)} pairs proposed; "
                    f"{len(result.unmatched_seniors) + len(result.unmatched_juniors)} unmatched.",
                )
                return redirect(request.path)
            if "swap" in request.POST and swap_form.is_valid():
                pairs_swap(**swap_form.cleaned_data)
                messages.success(request, "Partners swapped; both pairs are now locked.")
                return redirect(request.path)
            if "publish" in request.POST:
                count = matching_publish(programme=programme, by=request.user)
                messages.success(request, f"{count} pairs published; partners introduced.")
                return redirect("pairs:pairs", org_slug=org_slug, programme_id=programme_id)
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
            "unmatched": unmatched_selected(programme),
        },
        status=400 if settings_form.errors or swap_form.errors else 200,
    )


@requires(Perm.SELECT)
@require_POST
def proposal(request: HttpRequest, org_slug: str, programme_id: int, pair_id: int) -> HttpResponse:
    pair = get_object_or_404(Pair.objects.filter(programme=request.programme), pk=pair_id)
    try:
        if "forbid" in request.POST:
            pair_forbid(pair=pair)
            messages.success(request, f"{pair} will never be paired; run the matching again.")
        else:
            pair_lock(pair=pair, locked="lock" in request.POST)
    except PairsError as error:
        messages.error(request, str(error))
    return redirect("pairs:matching", org_slug=org_slug, programme_id=programme_id)


@requires(Perm.SELECT)
def pairs(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in PairStatus.values:
        status = ""
    page = Paginator(pairs_of(request.programme, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pairs/pairs.html",
        {"tab": "pairs", "page": page, "status": status, "statuses": PairStatus.choices},
    )


@requires(Perm.TAKE_PART)
@require_http_methods(["GET", "POST"])
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
        status=400 if form.errors or diversity_form.errors else 200,
    )


@requires(Perm.TAKE_PART)
def my_pair(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = current_pair_of(request.programme, request.user)
    partner = None
    if pair is not None:
        partner = pair.junior if pair.senior.user_id == request.user.pk else pair.senior
    return render(request, "pairs/my_pair.html", {"tab": "me", "pair": pair, "partner": partner})
