"""The cohort's shared themes and the recurring themes they form: the coordinator groups them;
the sessions' facilitators read them. A pair's names show only where the pair put them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from organisations.permissions import requires
from programmes.permissions import Perm

from ..forms import MergeForm, RecurringCreateForm, RecurringForm, RegroupForm, ThemesFilterForm
from ..models import RecurringStatus, RecurringTheme, Theme
from ..selectors import (
    facilitates,
    latest_grouping_run,
    recurring_themes,
    shared_themes,
)
from ..services import (
    grouping_request,
    recurring_accept,
    recurring_create,
    recurring_dismiss,
    recurring_merge,
    recurring_split,
    recurring_update,
    theme_regroup,
)
from .common import PAGE_SIZE, acted, acted_saying, attempt, back


def _reads_themes(request: HttpRequest) -> bool:
    """Coordinators, and the supervisors who facilitate one of the programme's sessions."""
    return Perm.GROUP_THEMES in request.programme_perms or facilitates(
        request.programme, request.user
    )


def _ungrouped(request: HttpRequest):
    return shared_themes(request.programme).filter(recurring__isnull=True)


def _found(request: HttpRequest) -> tuple[ThemesFilterForm, bool, QuerySet, QuerySet]:
    """The filter, whether it narrows anything, and the accepted recurring themes and the
    ungrouped shared themes it finds (by words in a title, or in what a theme noticed)."""
    filters = ThemesFilterForm(request.GET or None)
    criteria = filters.criteria()
    words, system = criteria.get("words", ""), criteria.get("system", "")
    accepted = recurring_themes(request.programme, status=RecurringStatus.ACCEPTED)
    ungrouped = _ungrouped(request)
    if system:
        accepted, ungrouped = accepted.filter(system=system), ungrouped.filter(system=system)
    if words:
        accepted = accepted.filter(title__icontains=words)
        ungrouped = ungrouped.filter(Q(title__icontains=words) | Q(noticed__icontains=words))
    return filters, bool(words or system), accepted, ungrouped


def _cohort_page(request: HttpRequest, *, new_form: RecurringCreateForm | None = None):
    """The groupings proposed (a short queue, never filtered), then the recurring themes and
    the shared themes not yet grouped, found by words and system, a page at a time. The form
    offers the ungrouped themes shown, and any it was sent ticked: a refused form loses none."""
    reads = _reads_themes(request)
    filters, filtered, accepted, ungrouped = _found(request)
    form = new_form or RecurringCreateForm(themes=_ungrouped(request), prefix="new")
    context = {"tab": "themes", "reads": reads, "filters": filters, "new_form": form}
    if reads:
        shown = Paginator(ungrouped, PAGE_SIZE).get_page(request.GET.get("ungrouped_page"))
        ticked = form.cleaned_data.get("themes", []) if form.is_bound else []
        form.fields["themes"].queryset = _ungrouped(request).filter(
            Q(pk__in=[theme.pk for theme in shown]) | Q(pk__in=[theme.pk for theme in ticked])
        )
        context |= {
            "groups": Perm.GROUP_THEMES in request.programme_perms,
            "filtered": filtered,
            "proposed": list(recurring_themes(request.programme, status=RecurringStatus.PROPOSED)),
            "accepted": Paginator(accepted, PAGE_SIZE).get_page(request.GET.get("page")),
            "ungrouped": shown,
            "run": latest_grouping_run(request.programme),
        }
    return render(
        request, "themes/cohort.html", context, status=400 if new_form is not None else 200
    )


@requires(Perm.READ_THEMES)
def cohort(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return _cohort_page(request)


@requires(Perm.GROUP_THEMES)
def grouping_status(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """What the page polls while a worker proposes groupings."""
    return render(
        request, "themes/_grouping_status.html", {"run": latest_grouping_run(request.programme)}
    )


@requires(post=Perm.GROUP_THEMES)
def grouping_propose(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    grouping_request(programme=request.programme, by=request.user)
    messages.success(request, "Proposing groupings of the shared themes by similarity.")
    return back(request, "themes:cohort")


@requires(post=Perm.GROUP_THEMES)
def recurring_new(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    form = RecurringCreateForm(request.POST, themes=_ungrouped(request), prefix="new")

    def create(data: dict) -> RecurringTheme:
        return recurring_create(
            programme=request.programme,
            title=data["title"],
            system=data["system"],
            themes=data["themes"],
        )

    if not acted(form, create):
        return _cohort_page(request, new_form=form)
    messages.success(request, "Recurring theme created.")
    cohort_url = reverse("themes:cohort", args=[request.organisation.slug, request.programme.pk])
    return redirect(cohort_url + (f"?{request.GET.urlencode()}" if request.GET else ""))


def _recurring(request: HttpRequest, recurring_id: int) -> RecurringTheme:
    return get_object_or_404(recurring_themes(request.programme), pk=recurring_id)


def _recurring_page(request: HttpRequest, recurring: RecurringTheme, **forms) -> HttpResponse:
    others = RecurringTheme.objects.filter(programme=request.programme).exclude(pk=recurring.pk)
    themes = list(shared_themes(request.programme).filter(recurring=recurring))
    groups = Perm.GROUP_THEMES in request.programme_perms
    return render(
        request,
        "themes/recurring.html",
        {
            "tab": "themes",
            "recurring": recurring,
            "themes": themes,
            "reads": _reads_themes(request),
            "groups": groups,
            "rename_form": forms.get("rename_form") or RecurringForm(instance=recurring),
            "merge_form": forms.get("merge_form") or MergeForm(others=others),
            "split_form": forms.get("split_form")
            or RecurringCreateForm(
                themes=Theme.objects.filter(pk__in=[t.pk for t in themes]), prefix="split"
            ),
            "regroup_choices": RecurringTheme.objects.filter(programme=request.programme),
        },
        status=400 if forms else 200,
    )


@requires(Perm.READ_THEMES)
def recurring(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    if not _reads_themes(request):
        raise Http404("The shared themes reach the facilitators of the combined sessions.")
    return _recurring_page(request, _recurring(request, recurring_id))


@requires(post=Perm.GROUP_THEMES)
def recurring_save(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    found = _recurring(request, recurring_id)
    form = RecurringForm(request.POST, instance=RecurringTheme.objects.get(pk=found.pk))
    if not acted(form, lambda data: recurring_update(recurring=found, **data)):
        return _recurring_page(request, found, rename_form=form)
    messages.success(request, "Saved.")
    return back(request, "themes:recurring", found.pk)


@requires(post=Perm.GROUP_THEMES)
def recurring_accept_view(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    found = _recurring(request, recurring_id)
    attempt(request, lambda: recurring_accept(recurring=found), f"“{found.title}” accepted.")
    return back(request, "themes:cohort")


@requires(post=Perm.GROUP_THEMES)
def recurring_dismiss_view(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    found = _recurring(request, recurring_id)
    attempt(
        request,
        lambda: recurring_dismiss(recurring=found),
        "Proposal dismissed; its themes are ungrouped again.",
    )
    return back(request, "themes:cohort")


@requires(post=Perm.GROUP_THEMES)
def recurring_merge_view(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    found = _recurring(request, recurring_id)
    others = RecurringTheme.objects.filter(programme=request.programme).exclude(pk=found.pk)
    form = MergeForm(request.POST, others=others)
    if not acted(form, lambda data: recurring_merge(into=found, others=data["others"])):
        return _recurring_page(request, found, merge_form=form)
    messages.success(request, "Merged.")
    return back(request, "themes:recurring", found.pk)


@requires(post=Perm.GROUP_THEMES)
def recurring_split_view(
    request: HttpRequest, org_slug: str, programme_id: int, recurring_id: int
) -> HttpResponse:
    found = _recurring(request, recurring_id)
    mine = Theme.objects.filter(recurring=found, shared_at__isnull=False)
    form = RecurringCreateForm(request.POST, themes=mine, prefix="split")
    made: list[RecurringTheme] = []

    def split(data: dict) -> None:
        made.append(
            recurring_split(
                recurring=found, themes=data["themes"], title=data["title"], system=data["system"]
            )
        )

    if not acted(form, split):
        return _recurring_page(request, found, split_form=form)
    messages.success(request, f"Split off as “{made[0].title}”.")
    return back(request, "themes:recurring", made[0].pk)


@requires(post=Perm.GROUP_THEMES)
def theme_regroup_view(
    request: HttpRequest, org_slug: str, programme_id: int, theme_id: int
) -> HttpResponse:
    theme = get_object_or_404(shared_themes(request.programme), pk=theme_id)
    form = RegroupForm(
        request.POST, recurring=RecurringTheme.objects.filter(programme=request.programme)
    )
    acted_saying(
        request,
        form,
        lambda data: theme_regroup(theme=theme, recurring=data["recurring"]),
        "Moved.",
    )
    return back(request, "themes:cohort")
