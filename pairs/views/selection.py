from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from organisations.audit import audit_shown
from organisations.permissions import OrgPerm, requires
from organisations.personal_exports import personal_export_request
from organisations.roles import Side
from programmes.models import Programme
from programmes.permissions import Perm

from ..forms import (
    ApplicationForm,
    BulkDecisionForm,
    CohortImportForm,
    DecisionForm,
    DiversityForm,
    HandPairForm,
    MatchingSettingsForm,
    ProfileFilterForm,
    ProfileForm,
    SelectionNoteForm,
    SwapForm,
    UnmatchedFilterForm,
    suggested_words,
)
from ..models import DIVERSITY_PURPOSE, ApplicationLink, Decision, Pair, PairStatus, Profile
from ..selectors import (
    application_link_of,
    own_profile,
    pair_choices,
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
    decisions_record,
    diversity_answers_give,
    diversity_consent_withdraw,
    matching_publish,
    matching_run,
    matching_settings_of,
    pair_forbid,
    pair_lock,
    pair_propose,
    pairs_swap,
    profile_update,
    selection_note_add,
)
from .common import acted, attempt

PAGE_SIZE = 25


@requires(Perm.SELECT, post=Perm.SELECT)
def candidates(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The cohort, seniors beside juniors with their one-pagers; the CSV import; several
    candidates decided at once."""
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
    return _candidates_page(
        request, import_form=form, report=report, status=400 if report or form.errors else 200
    )


def _filter_criteria(request: HttpRequest) -> tuple[ProfileFilterForm, dict[str, str]]:
    filters = ProfileFilterForm(request.GET or None)
    return filters, filters.criteria()


def _candidates_page(
    request: HttpRequest,
    *,
    import_form: CohortImportForm | None = None,
    report: object = None,
    bulk_form: BulkDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    programme = request.programme
    filters, criteria = _filter_criteria(request)
    bulk_form = bulk_form or _bulk_decision_form(request)
    return render(
        request,
        "pairs/candidates.html",
        {
            "tab": "candidates",
            "form": import_form or CohortImportForm(),
            "report": report,
            "filters": filters,
            "page": Paginator(profiles_of(programme, **criteria), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "link": application_link_of(programme),
            "bulk_form": bulk_form,
            "chosen": bulk_form.chosen(),
            "back": "candidates",
        },
        status=status,
    )


def _bulk_decision_form(
    request: HttpRequest,
    data: object = None,
    *,
    decision: str = Decision.SELECTED,
    chosen: list[str] | None = None,
) -> BulkDecisionForm:
    return BulkDecisionForm(
        data,
        words=suggested_words(request.programme.name),
        decision=decision,
        chosen=chosen or [],
        candidates=Profile.objects.filter(programme=request.programme).select_related(
            "programme__organisation"
        ),
    )


# The pages a coordinator decides several candidates from, and goes back to.
DECIDING_PAGES = {"candidates": "pairs:candidates", "review": "pairs:review"}


@requires(post=Perm.SELECT)
def decide_candidates(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """One decision for every candidate ticked, each e-mailed in the coordinator's words; back
    to the page, filter and page number the coordinator was on (the address's query)."""
    back = request.POST.get("back")
    back = back if back in DECIDING_PAGES else "candidates"
    page = _review_page if back == "review" else _candidates_page
    if "suggest" in request.POST:  # without JavaScript: the chosen decision's words, nothing sent
        suggested = _bulk_decision_form(
            request,
            decision=request.POST.get("decision", ""),
            chosen=request.POST.getlist("profiles"),
        )
        return page(request, bulk_form=suggested)
    form = _bulk_decision_form(request, request.POST)
    if not acted(
        form,
        lambda data: decisions_record(
            profiles=list(data["profiles"]),
            decision=data["decision"],
            subject=data["subject"],
            body=data["body"],
        ),
        field="profiles",
    ):
        return page(request, bulk_form=form, status=400)
    decided = sorted(profile.full_name for profile in form.cleaned_data["profiles"])
    label = Decision(form.cleaned_data["decision"]).label.lower()
    messages.success(
        request,
        f"{len(decided)} candidate{'s' * (len(decided) != 1)} {label}, each e-mailed once: "
        f"{_names(decided)}.",
    )
    query = request.GET.urlencode()
    url = reverse(DECIDING_PAGES[back], args=[org_slug, programme_id])
    return redirect(f"{url}?{query}" if query else url)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _profile(request: HttpRequest, profile_id: int) -> Profile:
    return get_object_or_404(Profile.objects.filter(programme=request.programme), pk=profile_id)


def _decision_form(request: HttpRequest, decision: str, data: object = None) -> DecisionForm:
    return DecisionForm(data, words=suggested_words(request.programme.name), decision=decision)


def _candidate_page(
    request: HttpRequest,
    profile: Profile,
    *,
    note_form: SelectionNoteForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    notes = list(selection_notes(profile))
    for kind, shown in (
        ("red_flag", [n for n in notes if n.red_flag]),
        ("selection_note", [n for n in notes if not n.red_flag]),
    ):
        audit_shown(request, kind=kind, records=shown, author_field="author")
    return render(
        request,
        "pairs/candidate.html",
        {
            "tab": "candidates",
            "profile": profile,
            "notes": notes,
            "note_form": note_form or SelectionNoteForm(),
            "decision_form": decision_form or _decision_form(request, profile.decision),
        },
        status=status,
    )


def _back_to_candidate(profile: Profile, org_slug: str) -> HttpResponse:
    return redirect(
        "pairs:candidate",
        org_slug=org_slug,
        programme_id=profile.programme_id,
        profile_id=profile.pk,
    )


@requires(Perm.SELECT)
def candidate(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    """One candidate's one-pager, the coordinator's private notes and red flags, the decision."""
    return _candidate_page(request, _profile(request, profile_id))


@requires(post=Perm.SELECT)
def add_note(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    profile = _profile(request, profile_id)
    form = SelectionNoteForm(request.POST)
    if not acted(
        form, lambda data: selection_note_add(profile=profile, author=request.user, **data)
    ):
        return _candidate_page(request, profile, note_form=form, status=400)
    messages.success(request, "Note saved. Only coordinators can see it.")
    return _back_to_candidate(profile, org_slug)


@requires(post=Perm.SELECT)
def prepare_data_export(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    """At the person's request: a copy of their data, which only they can download."""
    profile = _profile(request, profile_id)
    if profile.user is None:
        messages.error(request, "They have no account yet, so there is nowhere to send a copy.")
    else:
        personal_export_request(
            organisation=request.organisation, person=profile.user, requested_by=request.user
        )
        messages.success(
            request,
            f"A copy of {profile.full_name}'s data is being prepared. They get an e-mail when "
            "it is ready and download it themselves; you do not see it.",
        )
    return _back_to_candidate(profile, org_slug)


@requires(post=Perm.SELECT)
def record_decision(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    profile = _profile(request, profile_id)
    form = _decision_form(request, profile.decision, request.POST)
    if not acted(form, lambda data: decision_record(profile=profile, **data)):
        return _candidate_page(request, profile, decision_form=form, status=400)
    messages.success(request, f"{profile}: {profile.get_decision_display().lower()}; e-mail sent.")
    return _back_to_candidate(profile, org_slug)


@requires(post=Perm.SELECT)
def suggest_words(
    request: HttpRequest, org_slug: str, programme_id: int, profile_id: int
) -> HttpResponse:
    """Without JavaScript, "Show suggested words" starts the decision form again on the chosen
    decision, with its suggested subject and message. Nothing is recorded."""
    profile = _profile(request, profile_id)
    decision = request.POST.get("decision", "")
    return _candidate_page(request, profile, decision_form=_decision_form(request, decision))


def _swap_form(programme: Programme, data: object = None) -> SwapForm:
    return SwapForm(
        data, queryset=pairs_of(programme, PairStatus.PROPOSED), proposed=pair_choices(programme)
    )


def _matching_page(
    request: HttpRequest,
    *,
    settings_form: MatchingSettingsForm | None = None,
    swap_form: SwapForm | None = None,
    hand_form: HandPairForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The proposals a page at a time; one list of the proposals for both swap choices and one
    of the unmatched for both sides of the hand pairing, however many there are."""
    programme = request.programme
    page = Paginator(pairs_of(programme, PairStatus.PROPOSED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unmatched = list(unmatched_selected(programme))
    filters = UnmatchedFilterForm(request.GET or None)
    criteria = filters.criteria()
    listed = _unmatched_found(unmatched, **criteria)
    seniors = sum(1 for person in unmatched if person.side == Side.SENIOR)
    return render(
        request,
        "pairs/matching.html",
        {
            "tab": "matching",
            "settings_form": settings_form
            or MatchingSettingsForm(instance=matching_settings_of(programme)),
            "swap_form": swap_form or _swap_form(programme),
            "hand_form": hand_form or HandPairForm(unmatched=unmatched),
            "page": page,
            "page_query": _page_query(request),
            "published": pairs_of(programme, PairStatus.ACTIVE).count(),
            "unmatched": unmatched,
            "unmatched_seniors": seniors,
            "unmatched_juniors": len(unmatched) - seniors,
            "unmatched_filters": filters,
            "unmatched_filtered": any(criteria.values()),
            # A search only where a list runs past a page, or one is already at work.
            "unmatched_searched": len(unmatched) > PAGE_SIZE
            or any(criteria.values())
            or bool(filters.errors),
            "unmatched_page": Paginator(listed, PAGE_SIZE).get_page(
                request.GET.get("unmatched_page")
            ),
        },
        status=status,
    )


def _unmatched_found(unmatched: list[Profile], name: str = "", side: str = "") -> list[Profile]:
    """The unmatched a filter finds, from those already read for the hand pairing."""
    words = name.casefold()
    return [
        person
        for person in unmatched
        if words in person.full_name.casefold() and side in ("", person.side)
    ]


def _page_query(request: HttpRequest) -> str:
    """ "?page=N" for the page of proposals the coordinator is on, so each change returns there."""
    number = request.GET.get("page", "")
    return f"?page={number}" if number.isdigit() and len(number) < 6 else ""


def _back_to_matching(request: HttpRequest) -> HttpResponse:
    url = reverse("pairs:matching", args=[request.organisation.slug, request.programme.pk])
    return redirect(url + _page_query(request))


@requires(Perm.SELECT)
def matching(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Run the engine, amend (swap, pair by hand, lock, forbid), re-run keeping locks, and
    publish."""
    return _matching_page(request)


@requires(post=Perm.SELECT)
def run_matching(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = request.programme
    form = MatchingSettingsForm(request.POST, instance=matching_settings_of(programme))
    if form.is_valid():
        try:
            with transaction.atomic():  # a run that fails keeps the old weights too
                form.save()
                result = matching_run(programme=programme, by=request.user)
        except PairsError as error:
            form.add_error(None, str(error))
        else:
            unmatched = len(result.unmatched_seniors) + len(result.unmatched_juniors)
            messages.success(request, f"{len(result.pairs)} pairs proposed; {unmatched} unmatched.")
            return _back_to_matching(request)
    return _matching_page(request, settings_form=form, status=400)


@requires(post=Perm.SELECT)
def swap_pairs(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    form = _swap_form(request.programme, request.POST)
    if not acted(form, lambda data: pairs_swap(**data), field="second"):
        return _matching_page(request, swap_form=form, status=400)
    first, second = form.cleaned_data["first"], form.cleaned_data["second"]
    messages.success(request, f"Partners swapped: {first} and {second}. Both pairs are now locked.")
    return _back_to_matching(request)


@requires(post=Perm.SELECT)
def pair_by_hand(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Any unmatched senior with any unmatched junior, within the hard rules."""
    programme = request.programme
    form = HandPairForm(request.POST, unmatched=list(unmatched_selected(programme)))
    if not acted(form, lambda data: pair_propose(programme=programme, **data), field="junior"):
        return _matching_page(request, hand_form=form, status=400)
    senior, junior = form.cleaned_data["senior"], form.cleaned_data["junior"]
    messages.success(
        request,
        f"Paired by hand: {senior} and {junior}. The pair is locked, so running the matching "
        "again keeps it.",
    )
    return _back_to_matching(request)


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


def _proposed_pair(request: HttpRequest, pair_id: int) -> Pair:
    return get_object_or_404(
        Pair.objects.filter(programme=request.programme).select_related("senior", "junior"),
        pk=pair_id,
    )


@requires(post=Perm.SELECT)
def lock_pair(request: HttpRequest, org_slug: str, programme_id: int, pair_id: int) -> HttpResponse:
    pair = _proposed_pair(request, pair_id)
    attempt(
        request,
        lambda: pair_lock(pair=pair, locked=True),
        f"Locked: {pair.senior} and {pair.junior} stay paired when the matching runs again.",
    )
    return _back_to_matching(request)


@requires(post=Perm.SELECT)
def unlock_pair(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    pair = _proposed_pair(request, pair_id)
    attempt(
        request,
        lambda: pair_lock(pair=pair, locked=False),
        f"Unlocked: {pair.senior} and {pair.junior} may be paired differently when the matching "
        "runs again.",
    )
    return _back_to_matching(request)


@requires(post=Perm.SELECT)
def forbid_pair(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    pair = _proposed_pair(request, pair_id)
    attempt(
        request,
        lambda: pair_forbid(pair=pair),
        f"{pair} will never be paired; run the matching again.",
    )
    return _back_to_matching(request)


def _profile_page(
    request: HttpRequest,
    profile: Profile,
    *,
    form: ProfileForm | None = None,
    diversity_form: DiversityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    existing = getattr(profile, "diversity", None)
    return render(
        request,
        "pairs/my_profile.html",
        {
            "tab": "me",
            "profile": profile,
            "form": form or ProfileForm(instance=profile),
            "diversity_form": diversity_form
            or DiversityForm(
                initial={**(existing.answers if existing else {}), "consent": bool(existing)}
            ),
            "has_diversity": existing is not None,
            "purpose": DIVERSITY_PURPOSE,
        },
        status=status,
    )


def _own_profile(request: HttpRequest) -> Profile:
    profile = own_profile(request.programme, request.user)
    if profile is None:
        raise Http404("You have no profile in this programme.")
    return profile


def _back_to_profile(profile: Profile, org_slug: str) -> HttpResponse:
    return redirect("pairs:my_profile", org_slug=org_slug, programme_id=profile.programme_id)


@requires(Perm.TAKE_PART)
def my_profile(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A participant's own profile and one-pager, and the optional diversity section."""
    return _profile_page(request, _own_profile(request))


@requires(post=Perm.TAKE_PART)
def save_profile(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    profile = _own_profile(request)
    form = ProfileForm(request.POST, instance=profile)
    if not acted(form, lambda data: profile_update(profile=profile, values=data)):
        return _profile_page(request, profile, form=form, status=400)
    messages.success(request, "Profile saved.")
    return _back_to_profile(profile, org_slug)


@requires(post=Perm.TAKE_PART)
def save_diversity(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    profile = _own_profile(request)
    form = DiversityForm(request.POST)
    if not acted(
        form, lambda data: diversity_answers_give(profile=profile, answers=form.answers())
    ):
        return _profile_page(request, profile, diversity_form=form, status=400)
    messages.success(request, "Thank you. Only you can see these answers.")
    return _back_to_profile(profile, org_slug)


@requires(post=Perm.TAKE_PART)
def withdraw_diversity(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    profile = _own_profile(request)
    diversity_consent_withdraw(profile=profile)
    messages.success(request, "Consent withdrawn; your answers are erased.")
    return _back_to_profile(profile, org_slug)


@requires(Perm.REVIEW_CANDIDATES)
def review(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Candidates side by side with their one-pagers: for coordinators, who decide several at
    once here, and for the steering-group members the coordinator has asked to review. No
    notes, no red flags."""
    return _review_page(request)


def _review_page(
    request: HttpRequest, *, bulk_form: BulkDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    filters, criteria = _filter_criteria(request)
    criteria.pop("side", None)
    seniors = Paginator(profiles_of(request.programme, side="senior", **criteria), PAGE_SIZE)
    juniors = Paginator(profiles_of(request.programme, side="junior", **criteria), PAGE_SIZE)
    number = request.GET.get("page")
    senior_page, junior_page = seniors.get_page(number), juniors.get_page(number)
    if bulk_form is None and Perm.SELECT in request.programme_perms:
        bulk_form = _bulk_decision_form(request)
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
            "bulk_form": bulk_form,
            "chosen": bulk_form.chosen() if bulk_form else set(),
            "back": "review",
        },
        status=status,
    )


def _applications_set(request: HttpRequest, *, is_open: bool) -> HttpResponse:
    link = application_link_set(programme=request.programme, is_open=is_open)
    messages.success(
        request, "Applications are open." if link.is_open else "Applications are closed."
    )
    return redirect(
        "pairs:candidates", org_slug=request.organisation.slug, programme_id=request.programme.pk
    )


@requires(post=Perm.SELECT)
def open_applications(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return _applications_set(request, is_open=True)


@requires(post=Perm.SELECT)
def close_applications(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return _applications_set(request, is_open=False)


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
        instance=Profile(programme=programme, user=request.user, email=request.user.email),
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
