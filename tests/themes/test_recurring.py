"""The coordinator decides what the proposals become: accepts, dismisses, merges (agenda items
and issues follow the merged theme), splits, renames, and moves a single theme."""

import pytest

from themes.models import AgendaItem, LeadOffer, RecurringStatus, RecurringTheme, Theme
from themes.services import (
    ThemesError,
    agenda_item_add,
    issue_open,
    lead_offer,
    recurring_accept,
    recurring_create,
    recurring_dismiss,
    recurring_merge,
    recurring_split,
    recurring_update,
    theme_regroup,
)

from .. import factories
from .conftest import draft, grouped, new_pair, shared


def proposal(programme, title: str, *themes: Theme) -> RecurringTheme:
    recurring = grouped(programme, title, *themes)
    recurring.status = RecurringStatus.PROPOSED
    recurring.save()
    return recurring


def issue_from(programme, coordinator, *recurring: RecurringTheme):
    return issue_open(
        programme=programme,
        by=coordinator,
        values={
            "title": "Calibration is unrecorded",
            "description": "",
            "system": "promotion",
            "data_gaps": "",
            "owner": None,
        },
        recurring=recurring,
    )


@pytest.fixture
def two_themes(programme):
    return [shared(new_pair(programme), f"Theme {n}") for n in range(2)]


@pytest.mark.django_db
def test_the_coordinator_accepts_a_proposal(programme, two_themes):
    recurring = proposal(programme, "Calibration", *two_themes)
    assert recurring_accept(recurring=recurring).status == RecurringStatus.ACCEPTED
    recurring.refresh_from_db()
    assert recurring.status == RecurringStatus.ACCEPTED


@pytest.mark.django_db
def test_a_dismissed_proposal_leaves_its_themes_ungrouped_and_an_accepted_one_is_not_dismissed(
    programme, two_themes
):
    recurring = proposal(programme, "Calibration", *two_themes)
    recurring_dismiss(recurring=recurring)
    assert not RecurringTheme.objects.exists()
    assert Theme.objects.filter(recurring__isnull=True).count() == 2
    accepted = grouped(programme, "Calibration", *two_themes)
    with pytest.raises(ThemesError, match="Only a proposal"):
        recurring_dismiss(recurring=accepted)
    assert RecurringTheme.objects.filter(pk=accepted.pk).exists()


@pytest.mark.django_db
def test_a_recurring_theme_is_made_only_of_shared_themes_of_its_programme(
    org, programme, pair, two_themes
):
    with pytest.raises(ThemesError, match="shared themes of this programme"):
        recurring_create(
            programme=programme, title="Mixed", system="", themes=[two_themes[0], draft(pair)]
        )
    elsewhere = factories.programme(org, name="Another")
    theirs = shared(new_pair(elsewhere), "Theirs")
    with pytest.raises(ThemesError, match="shared themes of this programme"):
        recurring_create(programme=programme, title="Mixed", system="", themes=[theirs])
    with pytest.raises(ThemesError, match="at least one"):
        recurring_create(programme=programme, title="Empty", system="", themes=[])
    assert not RecurringTheme.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_renames_it(programme, two_themes):
    recurring = grouped(programme, "Calibration", *two_themes)
    recurring_update(recurring=recurring, title="  Unrecorded calibration  ", system="data")
    recurring.refresh_from_db()
    assert (recurring.title, recurring.system) == ("Unrecorded calibration", "data")


@pytest.mark.django_db
def test_merging_moves_the_themes_agenda_items_and_issues_to_the_theme_merged_into(
    programme, people, pair, session
):
    into = grouped(programme, "Calibration", shared(new_pair(programme), "A"))
    other = grouped(programme, "Panel scores", shared(new_pair(programme), "B"))
    item = agenda_item_add(session=session, recurring=other)
    lead_offer(item=item, user=pair.senior.user)
    issue = issue_from(programme, people["coordinator"], other)
    merged = recurring_merge(into=into, others=[other])
    assert merged.status == RecurringStatus.ACCEPTED
    assert not RecurringTheme.objects.filter(pk=other.pk).exists()
    assert set(Theme.objects.values_list("recurring", flat=True)) == {into.pk}
    item.refresh_from_db()
    assert item.recurring == into and LeadOffer.objects.filter(item=item).exists()
    assert list(issue.recurring.all()) == [into]


@pytest.mark.django_db
def test_merging_two_themes_on_one_agenda_keeps_one_item_there(programme, session):
    into = grouped(programme, "Calibration", shared(new_pair(programme), "A"))
    other = grouped(programme, "Panel scores", shared(new_pair(programme), "B"))
    agenda_item_add(session=session, recurring=into)
    agenda_item_add(session=session, recurring=other)
    recurring_merge(into=into, others=[other])
    assert list(AgendaItem.objects.values_list("recurring", flat=True)) == [into.pk]


@pytest.mark.django_db
def test_a_proposal_merged_into_is_accepted_and_another_programmes_theme_is_refused(
    org, programme, two_themes
):
    into = proposal(programme, "Calibration", two_themes[0])
    other = proposal(programme, "Scores", two_themes[1])
    elsewhere = factories.programme(org, name="Another")
    theirs = grouped(elsewhere, "Theirs", shared(new_pair(elsewhere), "C"))
    with pytest.raises(ThemesError, match="of this programme"):
        recurring_merge(into=into, others=[other, theirs])
    assert RecurringTheme.objects.filter(pk=other.pk).exists()
    assert recurring_merge(into=into, others=[other, into]).status == RecurringStatus.ACCEPTED
    assert into.themes.count() == 2


@pytest.mark.django_db
def test_splitting_makes_a_recurring_theme_of_some_of_its_themes(programme):
    themes = [shared(new_pair(programme), f"Theme {n}") for n in range(3)]
    recurring = grouped(programme, "Everything", *themes)
    split = recurring_split(recurring=recurring, themes=themes[:1], title="One", system="data")
    assert (split.title, split.system, split.status) == ("One", "data", RecurringStatus.ACCEPTED)
    assert list(split.themes.all()) == themes[:1]
    assert set(recurring.themes.all()) == set(themes[1:])


@pytest.mark.django_db
def test_a_split_leaves_one_theme_behind_and_takes_only_its_own(programme):
    themes = [shared(new_pair(programme), f"Theme {n}") for n in range(3)]
    recurring = grouped(programme, "Two", *themes[:2])
    with pytest.raises(ThemesError, match="Leave at least one"):
        recurring_split(recurring=recurring, themes=themes[:2], title="All", system="")
    with pytest.raises(ThemesError, match="at least one of its themes"):
        recurring_split(recurring=recurring, themes=themes[2:], title="Not its", system="")
    assert recurring.themes.count() == 2 and RecurringTheme.objects.count() == 1


@pytest.mark.django_db
def test_a_single_theme_is_moved_to_another_recurring_theme_or_out_of_any(programme, pair):
    themes = [shared(new_pair(programme), f"Theme {n}") for n in range(3)]
    lonely = proposal(programme, "Lonely", themes[0])
    target = grouped(programme, "Target", *themes[1:])
    moved = theme_regroup(theme=themes[0], recurring=target)
    assert moved.recurring == target
    assert not RecurringTheme.objects.filter(pk=lonely.pk).exists()  # the emptied proposal goes
    out = theme_regroup(theme=themes[1], recurring=None)
    assert out.recurring is None
    assert RecurringTheme.objects.filter(pk=target.pk).exists()  # an accepted one stays
    with pytest.raises(ThemesError, match="Only a shared theme"):
        theme_regroup(theme=draft(pair), recurring=target)


@pytest.mark.django_db
def test_a_theme_is_not_moved_to_another_programmes_recurring_theme(org, programme):
    theme = shared(new_pair(programme), "Ours")
    elsewhere = factories.programme(org, name="Another")
    theirs = grouped(elsewhere, "Theirs", shared(new_pair(elsewhere), "Theirs"))
    with pytest.raises(ThemesError, match="of this programme"):
        theme_regroup(theme=theme, recurring=theirs)
    theme.refresh_from_db()
    assert theme.recurring is None
