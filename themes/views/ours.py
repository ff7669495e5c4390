"""A pair's own themes: capture, share (both partners agree), withdraw."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from organisations.permissions import requires
from pairs.models import Meeting, Pair
from pairs.selectors import current_pair_of
from programmes.permissions import Perm

from ..forms import ShareForm, ThemeForm
from ..models import Theme
from ..selectors import themes_of_pair
from ..services import (
    ThemesError,
    theme_add,
    theme_agree,
    theme_delete,
    theme_update,
    theme_withdraw,
)
from .common import acted, attempt, back


def _own_pair(request: HttpRequest) -> Pair:
    pair = current_pair_of(request.programme, request.user)
    if pair is None:
        raise Http404("You are not in a pair that is meeting in this programme.")
    return pair


def _own_theme(request: HttpRequest, theme_id: int) -> Theme:
    return get_object_or_404(themes_of_pair(_own_pair(request)), pk=theme_id)


@dataclass(frozen=True)
class ThemeRow:
    """One of the pair's themes, with where it stands for the person reading."""

    theme: Theme
    i_agreed: bool
    partner_agreed: bool
    form: ThemeForm | None  # for a draft, to edit it
    share_form: ShareForm


def _rows(request: HttpRequest, pair: Pair, editing: ThemeForm | None = None) -> list[ThemeRow]:
    rows = []
    for theme in themes_of_pair(pair):
        agreed = {consent.user_id for consent in theme.consents.all()}
        form = None
        if not theme.is_shared:
            same = editing is not None and editing.instance.pk == theme.pk
            form = editing if same else ThemeForm(instance=theme, prefix=f"t{theme.pk}")
        rows.append(
            ThemeRow(
                theme,
                request.user.pk in agreed,
                bool(agreed - {request.user.pk}),
                form,
                ShareForm(prefix=f"s{theme.pk}"),
            )
        )
    return rows


def _meeting_named(pair: Pair, value: str) -> Meeting | None:
    """The pair's meeting a theme is recorded from, by the id a link or the form carries."""
    if not (value.isdecimal() and len(value) < 19):  # a bigint's digits
        return None
    return Meeting.objects.filter(pair=pair, pk=value).first()


def _page(
    request: HttpRequest,
    pair: Pair,
    *,
    add: ThemeForm | None = None,
    edit=None,
    meeting: Meeting | None = None,
) -> HttpResponse:
    """The pair's themes; `meeting`, from a refused form, else from the link that opened it."""
    meeting = meeting or _meeting_named(pair, request.GET.get("meeting", ""))
    return render(
        request,
        "themes/ours.html",
        {
            "tab": "themes",
            "pair": pair,
            "rows": _rows(request, pair, edit),
            "add_form": add or ThemeForm(initial={"source": request.GET.get("source", "pair")}),
            "meeting": meeting,
        },
        status=400 if add is not None or edit is not None else 200,
    )


@requires(Perm.TAKE_PART)
def ours(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return _page(request, _own_pair(request))


@requires(post=Perm.TAKE_PART)
def theme_add_view(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = _own_pair(request)
    form = ThemeForm(request.POST)
    meeting = _meeting_named(pair, request.POST.get("meeting", ""))

    def add(data: dict) -> Theme:
        return theme_add(
            pair=pair, by=request.user, values=data, source=data["source"], meeting=meeting
        )

    if not acted(form, add):
        return _page(request, pair, add=form, meeting=meeting)
    messages.success(
        request, "Saved as your pair's draft. It is shared once you both agree to share it."
    )
    return back(request, "themes:ours")


@requires(post=Perm.TAKE_PART)
def theme_edit(
    request: HttpRequest, org_slug: str, programme_id: int, theme_id: int
) -> HttpResponse:
    theme = _own_theme(request, theme_id)
    form = ThemeForm(request.POST, instance=theme, prefix=f"t{theme.pk}")
    if not acted(form, lambda data: theme_update(theme=theme, by=request.user, values=data)):
        return _page(request, theme.pair, edit=form)
    messages.success(request, "Saved. Your partner is asked to agree to the new words.")
    return back(request, "themes:ours")


@requires(post=Perm.TAKE_PART)
def theme_delete_view(
    request: HttpRequest, org_slug: str, programme_id: int, theme_id: int
) -> HttpResponse:
    theme = _own_theme(request, theme_id)
    attempt(request, lambda: theme_delete(theme=theme, by=request.user), "Deleted.")
    return back(request, "themes:ours")


@requires(post=Perm.TAKE_PART)
def theme_agree_view(
    request: HttpRequest, org_slug: str, programme_id: int, theme_id: int
) -> HttpResponse:
    theme = _own_theme(request, theme_id)
    form = ShareForm(request.POST, prefix=f"s{theme.pk}")
    with_names = form.is_valid() and form.cleaned_data["with_names"]
    try:
        shared = theme_agree(theme=theme, by=request.user, with_names=with_names)
    except ThemesError as error:
        messages.error(request, str(error))
        return back(request, "themes:ours")
    if not shared.is_shared:
        messages.success(request, "You agreed to share it; it is shared once your partner does.")
    else:
        names = "with both your names" if shared.named else "without your names"
        messages.success(request, f"Shared with the cohort, {names}.")
    return back(request, "themes:ours")


@requires(post=Perm.TAKE_PART)
def theme_withdraw_view(
    request: HttpRequest, org_slug: str, programme_id: int, theme_id: int
) -> HttpResponse:
    theme = _own_theme(request, theme_id)
    attempt(
        request,
        lambda: theme_withdraw(theme=theme, by=request.user),
        "Withdrawn: it is your pair's draft again.",
    )
    return back(request, "themes:ours")
