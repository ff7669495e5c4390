"""A pair captures themes and shares them, as co-learners: neither shares for the other."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from organisations.models import User
from pairs.models import Meeting, Pair, PairStatus
from pairs.services import PairsError, partner_side

from ..models import Source, Theme, ThemeConsent

THEME_FIELDS = ("title", "noticed", "system", "quick_win")


class ThemesError(Exception):
    """A step the themes' rules do not allow; the message is for the user."""


def _partner(pair: Pair, user: User) -> None:
    try:
        partner_side(pair, user)
    except PairsError as error:
        raise ThemesError(str(error)) from error


def _draft(theme: Theme) -> None:
    if theme.is_shared:
        raise ThemesError("It is shared with the cohort; withdraw it first to change it.")


@transaction.atomic
def theme_add(
    *,
    pair: Pair,
    by: User,
    values: Mapping[str, object],
    source: str = Source.PAIR,
    meeting: Meeting | None = None,
) -> Theme:
    """A partner records a theme: the pair's draft until both agree to share it."""
    _partner(pair, by)
    if pair.status != PairStatus.ACTIVE:
        raise ThemesError("Themes are captured while the pair is meeting.")
    if meeting is not None and meeting.pair_id != pair.pk:
        raise ThemesError("That meeting is not this pair's.")
    return Theme.objects.create(
        pair=pair,
        added_by=by,
        source=Source(source),
        meeting=meeting,
        **{field: _clean(values[field]) for field in THEME_FIELDS},
    )


def _clean(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def theme_update(*, theme: Theme, by: User, values: Mapping[str, object]) -> Theme:
    """Either partner edits a draft. Whoever had agreed to share it agreed to other words, so
    their agreement lapses."""
    _partner(theme.pair, by)
    _draft(theme)
    for field in THEME_FIELDS:
        setattr(theme, field, _clean(values[field]))
    theme.save()
    ThemeConsent.objects.filter(theme=theme).exclude(user=by).delete()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, by: User) -> None:
    _partner(theme.pair, by)
    _draft(theme)
    theme.delete()


@transaction.atomic
def theme_agree(*, theme: Theme, by: User, with_names: bool) -> Theme:
    """One partner agrees to share it; it is shared once both have. Their names go with it
    only if both chose that."""
    _partner(theme.pair, by)
    # Both partners agreeing at once: the second to lock the theme sees the first's agreement.
    theme = (
        Theme.objects.select_for_update()
        .select_related("pair__senior", "pair__junior")
        .get(pk=theme.pk)
    )
    _draft(theme)
    ThemeConsent.objects.update_or_create(theme=theme, user=by, defaults={"with_names": with_names})
    consents = list(ThemeConsent.objects.filter(theme=theme))
    partners = {theme.pair.senior.user_id, theme.pair.junior.user_id}
    if partners <= {consent.user_id for consent in consents}:
        theme.shared_at = timezone.now()
        theme.named = all(consent.with_names for consent in consents)
        theme.save(update_fields=["shared_at", "named", "updated_at"])
    return theme


@transaction.atomic
def theme_withdraw(*, theme: Theme, by: User) -> Theme:
    """Either partner takes it back to the pair's draft (or takes back their own agreement),
    until an analysis that holds it has gone out."""
    _partner(theme.pair, by)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.locked_at is not None:
        raise ThemesError(
            "It went out in the analysis for a combined session, so it can no longer be "
            "withdrawn. Tell the coordinator if it must not be discussed."
        )
    if not theme.is_shared:  # a draft: only their own agreement is theirs to take back
        ThemeConsent.objects.filter(theme=theme, user=by).delete()
        return theme
    ThemeConsent.objects.filter(theme=theme).delete()
    theme.shared_at, theme.named, theme.recurring = None, False, None
    theme.save(update_fields=["shared_at", "named", "recurring", "updated_at"])
    return theme
