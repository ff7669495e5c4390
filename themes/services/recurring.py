"""Recurring themes: the system proposes groupings of shared themes by similarity, and the
coordinator accepts, merges, splits or renames them."""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from organisations.models import User
from organisations.tasks import enqueue_on_commit
from programmes.models import Programme

from ..models import GroupingRun, RecurringStatus, RecurringTheme, Theme
from ..similarity import Text, propose_groupings
from .capture import ThemesError

PROPOSE_TASK = "themes.propose_groupings"


def _shared(programme: Programme):
    return Theme.objects.filter(pair__programme=programme, shared_at__isnull=False)


@transaction.atomic
def grouping_request(*, programme: Programme, by: User) -> GroupingRun:
    """The coordinator asks for proposals; a worker makes them."""
    run = GroupingRun.objects.create(programme=programme, requested_by=by)
    enqueue_on_commit(PROPOSE_TASK, run.pk)
    return run


@transaction.atomic
def groupings_propose(*, run: GroupingRun) -> int:
    """Propose anew for the shared themes in no accepted recurring theme: earlier proposals the
    coordinator has not accepted are replaced. A run delivered twice proposes once."""
    run = GroupingRun.objects.select_for_update().get(pk=run.pk)
    if run.finished_at is not None:
        return run.proposed
    programme = run.programme
    RecurringTheme.objects.filter(programme=programme, status=RecurringStatus.PROPOSED).delete()
    loose = list(_shared(programme).filter(recurring__isnull=True))
    texts = [Text(t.pk, t.pair_id, f"{t.title}. {t.title}. {t.noticed}") for t in loose]
    by_id = {theme.pk: theme for theme in loose}
    for grouping in propose_groupings(texts):
        members = [by_id[pk] for pk in grouping.ids]
        systems = Counter(theme.system for theme in members)
        recurring = RecurringTheme.objects.create(
            programme=programme,
            title=by_id[grouping.representative].title,
            system=systems.most_common(1)[0][0],
            status=RecurringStatus.PROPOSED,
            shared_words=", ".join(grouping.shared_words),
        )
        Theme.objects.filter(pk__in=grouping.ids).update(recurring=recurring)
    run.proposed = RecurringTheme.objects.filter(
        programme=programme, status=RecurringStatus.PROPOSED
    ).count()
    run.finished_at = timezone.now()
    run.save(update_fields=["proposed", "finished_at"])
    return run.proposed


def _themes_of(programme: Programme, themes: Iterable[Theme]) -> list[Theme]:
    ids = [theme.pk for theme in themes]
    found = list(_shared(programme).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ThemesError("Choose shared themes of this programme.")
    return found


def recurring_accept(*, recurring: RecurringTheme) -> RecurringTheme:
    recurring.status = RecurringStatus.ACCEPTED
    recurring.save(update_fields=["status"])
    return recurring


@transaction.atomic
def recurring_dismiss(*, recurring: RecurringTheme) -> None:
    """A proposal the coordinator does not want: its themes go back to the ungrouped."""
    if recurring.status != RecurringStatus.PROPOSED:
        raise ThemesError("Only a proposal can be dismissed; merge or split an accepted one.")
    recurring.delete()


@transaction.atomic
def recurring_create(
    *, programme: Programme, title: str, system: str, themes: Iterable[Theme]
) -> RecurringTheme:
    chosen = _themes_of(programme, themes)
    if not chosen:
        raise ThemesError("Choose at least one shared theme for it.")
    recurring = RecurringTheme.objects.create(
        programme=programme, title=title.strip(), system=system
    )
    _tidy_after(Theme.objects.filter(pk__in=[t.pk for t in chosen]), recurring)
    return recurring


def recurring_update(*, recurring: RecurringTheme, title: str, system: str) -> RecurringTheme:
    recurring.title, recurring.system = title.strip(), system
    recurring.save(update_fields=["title", "system"])
    return recurring


@transaction.atomic
def recurring_merge(*, into: RecurringTheme, others: Iterable[RecurringTheme]) -> RecurringTheme:
    """The others' themes join `into`, and the others go; `into` is accepted."""
    others = [other for other in others if other.pk != into.pk]
    if any(other.programme_id != into.programme_id for other in others):
        raise ThemesError("Choose recurring themes of this programme.")
    Theme.objects.filter(recurring__in=others).update(recurring=into)
    _move_references(others, into)
    RecurringTheme.objects.filter(pk__in=[other.pk for other in others]).delete()
    return recurring_accept(recurring=into)


def _move_references(others: list[RecurringTheme], into: RecurringTheme) -> None:
    """What pointed to a merged theme points to the one it joined (agenda items, issues)."""
    for other in others:
        for item in other.agenda_items.all():
            if not into.agenda_items.filter(session=item.session_id).exists():
                item.recurring = into
                item.save(update_fields=["recurring"])
        for issue in other.issues.all():
            issue.recurring.add(into)


@transaction.atomic
def recurring_split(
    *, recurring: RecurringTheme, themes: Iterable[Theme], title: str, system: str
) -> RecurringTheme:
    """Some of its themes become a recurring theme of their own."""
    chosen = [t for t in _themes_of(recurring.programme, themes) if t.recurring_id == recurring.pk]
    if not chosen:
        raise ThemesError("Choose at least one of its themes to split off.")
    if len(chosen) == recurring.themes.count():
        raise ThemesError("Leave at least one theme where it is, or rename it instead.")
    return recurring_create(
        programme=recurring.programme, title=title, system=system, themes=chosen
    )


@transaction.atomic
def theme_regroup(*, theme: Theme, recurring: RecurringTheme | None) -> Theme:
    """Move one shared theme to another recurring theme, or out of any."""
    if not theme.is_shared:
        raise ThemesError("Only a shared theme is grouped.")
    if recurring is not None and recurring.programme_id != theme.pair.programme_id:
        raise ThemesError("Choose a recurring theme of this programme.")
    _tidy_after(Theme.objects.filter(pk=theme.pk), recurring)
    theme.refresh_from_db(fields=["recurring"])
    return theme


def _tidy_after(themes, recurring: RecurringTheme | None) -> None:
    """Move the themes, then drop the proposals they leave empty."""
    left = set(themes.exclude(recurring=None).values_list("recurring", flat=True))
    themes.update(recurring=recurring)
    RecurringTheme.objects.filter(
        pk__in=left, status=RecurringStatus.PROPOSED, themes__isnull=True
    ).delete()
