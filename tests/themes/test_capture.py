"""A pair captures themes and shares them as co-learners: a theme is the pair's draft until both
partners agree, neither shares for the other, and either can withdraw it until it is locked."""

import pytest
from django.utils import timezone

from pairs.models import PairStatus
from themes.models import Source, Theme, ThemeConsent
from themes.services import (
    ThemesError,
    theme_add,
    theme_agree,
    theme_delete,
    theme_update,
    theme_withdraw,
)

from .. import factories
from .conftest import DRAFT_WORDS, draft, grouped, shared, values


@pytest.mark.django_db
def test_a_partner_records_a_theme_as_the_pairs_draft(pair):
    theme = theme_add(
        pair=pair,
        by=pair.junior.user,
        values=values("  Lunchtime meetings  ", DRAFT_WORDS, system="culture", quick_win=True),
    )
    theme.refresh_from_db()
    assert (theme.title, theme.noticed, theme.system, theme.quick_win) == (
        "Lunchtime meetings",
        DRAFT_WORDS,
        "culture",
        True,
    )
    assert theme.source == Source.PAIR and theme.added_by == pair.junior.user
    assert not theme.is_shared and not theme.named and theme.locked_at is None


@pytest.mark.django_db
def test_each_partner_adds_topics_from_their_peers(pair):
    for partner in (pair.senior.user, pair.junior.user):
        theme_add(pair=pair, by=partner, values=values("From my network"), source=Source.PEERS)
    added = Theme.objects.filter(pair=pair, source=Source.PEERS)
    assert {theme.added_by for theme in added} == {pair.senior.user, pair.junior.user}


@pytest.mark.django_db
def test_a_theme_recorded_after_a_meeting_keeps_the_meeting_and_only_the_pairs_own(
    pair, other_pair
):
    meeting = factories.log_meeting(pair, pair.senior.user)
    theme = theme_add(pair=pair, by=pair.senior.user, values=values("After"), meeting=meeting)
    assert theme.meeting == meeting
    elsewhere = factories.log_meeting(other_pair, other_pair.senior.user)
    with pytest.raises(ThemesError, match="not this pair's"):
        theme_add(pair=pair, by=pair.senior.user, values=values("After"), meeting=elsewhere)


@pytest.mark.django_db
def test_only_the_partners_of_a_pair_that_is_meeting_capture_its_themes(pair, other_pair, people):
    for stranger in (other_pair.senior.user, people["coordinator"]):
        with pytest.raises(ThemesError, match="Only the two partners"):
            theme_add(pair=pair, by=stranger, values=values("Not ours"))
    pair.status = PairStatus.ENDED_EARLY
    pair.save()
    with pytest.raises(ThemesError, match="while the pair is meeting"):
        theme_add(pair=pair, by=pair.senior.user, values=values("Too late"))
    assert not Theme.objects.exists()


@pytest.mark.django_db
def test_one_partners_agreement_alone_does_not_share_it(pair):
    theme = draft(pair)
    theme = theme_agree(theme=theme, by=pair.senior.user, with_names=True)
    theme.refresh_from_db()
    assert not theme.is_shared
    theme_agree(theme=theme, by=pair.senior.user, with_names=True)  # agreeing twice is once
    theme.refresh_from_db()
    assert not theme.is_shared
    assert ThemeConsent.objects.filter(theme=theme).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("senior_names", "junior_names", "named"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_it_is_shared_once_both_agree_and_with_names_only_if_both_chose_that(
    pair, senior_names, junior_names, named
):
    theme = draft(pair)
    theme_agree(theme=theme, by=pair.senior.user, with_names=senior_names)
    theme = theme_agree(theme=theme, by=pair.junior.user, with_names=junior_names)
    theme.refresh_from_db()
    assert theme.is_shared and theme.named is named


@pytest.mark.django_db
def test_nobody_outside_the_pair_agrees_for_it(pair, other_pair, people):
    theme = draft(pair)
    theme_agree(theme=theme, by=pair.senior.user, with_names=False)
    for stranger in (other_pair.junior.user, people["coordinator"]):
        with pytest.raises(ThemesError):
            theme_agree(theme=theme, by=stranger, with_names=False)
    theme.refresh_from_db()
    assert not theme.is_shared
    assert set(ThemeConsent.objects.values_list("user", flat=True)) == {pair.senior.user_id}


@pytest.mark.django_db
def test_editing_a_draft_drops_the_other_partners_agreement_and_keeps_the_editors(pair):
    theme = draft(pair)
    theme_agree(theme=theme, by=pair.senior.user, with_names=False)
    theme_update(theme=theme, by=pair.junior.user, values=values("New words"))
    assert not ThemeConsent.objects.filter(theme=theme).exists()  # the senior agreed to others
    theme_agree(theme=theme, by=pair.junior.user, with_names=False)
    theme_update(theme=theme, by=pair.junior.user, values=values("Newer words"))
    assert list(ThemeConsent.objects.values_list("user", flat=True)) == [pair.junior.user_id]
    theme.refresh_from_db()
    assert theme.title == "Newer words" and not theme.is_shared


@pytest.mark.django_db
def test_a_shared_theme_is_neither_edited_nor_deleted_until_it_is_withdrawn(pair):
    theme = shared(pair)
    with pytest.raises(ThemesError, match="withdraw it first"):
        theme_update(theme=theme, by=pair.senior.user, values=values("Changed"))
    with pytest.raises(ThemesError, match="withdraw it first"):
        theme_delete(theme=theme, by=pair.senior.user)
    theme = theme_withdraw(theme=theme, by=pair.junior.user)
    theme_delete(theme=theme, by=pair.senior.user)
    assert not Theme.objects.exists()


@pytest.mark.django_db
def test_either_partner_withdraws_a_shared_theme_back_to_the_draft_and_out_of_its_grouping(
    pair, other_pair, programme
):
    theme = draft(pair)
    for partner in (pair.senior.user, pair.junior.user):
        theme = theme_agree(theme=theme, by=partner, with_names=True)
    recurring = grouped(programme, "Calibration", theme, shared(other_pair))
    theme = theme_withdraw(theme=theme, by=pair.junior.user)
    theme.refresh_from_db()
    assert not theme.is_shared and not theme.named and theme.recurring is None
    assert not ThemeConsent.objects.filter(theme=theme).exists()  # both must agree anew
    assert recurring.themes.count() == 1


@pytest.mark.django_db
def test_taking_back_ones_agreement_to_a_draft_leaves_the_partners_alone(pair):
    theme = draft(pair)
    theme_agree(theme=theme, by=pair.senior.user, with_names=False)
    theme_withdraw(theme=theme, by=pair.senior.user)
    assert not ThemeConsent.objects.filter(theme=theme).exists()
    theme_agree(theme=theme, by=pair.junior.user, with_names=False)
    theme_withdraw(theme=theme, by=pair.senior.user)  # the senior had not agreed: nothing to take
    assert list(ThemeConsent.objects.values_list("user", flat=True)) == [pair.junior.user_id]


@pytest.mark.django_db
def test_a_locked_theme_can_no_longer_be_withdrawn_and_says_why(pair):
    theme = shared(pair, noticed=DRAFT_WORDS)
    Theme.objects.filter(pk=theme.pk).update(locked_at=timezone.now())
    with pytest.raises(ThemesError) as refused:
        theme_withdraw(theme=theme, by=pair.senior.user)
    assert "went out in the analysis" in str(refused.value)
    assert DRAFT_WORDS not in str(refused.value) and theme.title not in str(refused.value)
    theme.refresh_from_db()
    assert theme.is_shared


@pytest.mark.django_db
def test_only_a_partner_withdraws_or_deletes(pair, other_pair):
    theme = shared(pair)
    with pytest.raises(ThemesError):
        theme_withdraw(theme=theme, by=other_pair.senior.user)
    draft_theme = draft(pair, "Another")
    with pytest.raises(ThemesError):
        theme_delete(theme=draft_theme, by=other_pair.senior.user)
    assert Theme.objects.filter(pair=pair).count() == 2
