"""A combined session's agenda: accepted recurring themes, each with a volunteer the coordinator
confirms as its lead."""

import pytest
from django.utils import timezone

from themes.models import AgendaItem, LeadOffer, RecurringStatus, ThemeAnalysis
from themes.services import (
    ThemesError,
    agenda_item_add,
    agenda_item_remove,
    lead_confirm,
    lead_offer,
    lead_offer_withdraw,
)

from .. import factories
from .conftest import grouped, new_pair, shared


@pytest.fixture
def recurring(programme, pair):
    return grouped(programme, "Calibration", shared(pair))


@pytest.fixture
def item(session, recurring) -> AgendaItem:
    return agenda_item_add(session=session, recurring=recurring)


@pytest.mark.django_db
def test_accepted_recurring_themes_go_on_the_agenda_in_order_once(programme, session, recurring):
    second = grouped(programme, "Pub", shared(new_pair(programme), "Pub"))
    first_item = agenda_item_add(session=session, recurring=recurring)
    second_item = agenda_item_add(session=session, recurring=second)
    assert agenda_item_add(session=session, recurring=recurring) == first_item
    assert [i.pk for i in AgendaItem.objects.filter(session=session)] == [
        first_item.pk,
        second_item.pk,
    ]
    assert (first_item.position, second_item.position) == (1, 2)
    agenda_item_remove(item=first_item)
    assert list(AgendaItem.objects.all()) == [second_item]


@pytest.mark.django_db
def test_a_proposal_or_another_programmes_theme_is_not_put_on_the_agenda(org, session, recurring):
    recurring.status = RecurringStatus.PROPOSED
    recurring.save()
    with pytest.raises(ThemesError, match="Accept the proposed grouping"):
        agenda_item_add(session=session, recurring=recurring)
    elsewhere = factories.programme(org, name="Another")
    theirs = grouped(elsewhere, "Theirs", shared(new_pair(elsewhere)))
    with pytest.raises(ThemesError, match="of this programme"):
        agenda_item_add(session=session, recurring=theirs)
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_the_agenda_is_fixed_once_the_analysis_went_out(session, recurring):
    ThemeAnalysis.objects.create(session=session, sent_at=timezone.now(), content={})
    with pytest.raises(ThemesError, match="has gone out"):
        agenda_item_add(session=session, recurring=recurring)


@pytest.mark.django_db
def test_participants_of_the_pairs_volunteer_and_the_coordinator_confirms_one(
    item, pair, other_pair, people
):
    lead_offer(item=item, user=pair.junior.user)
    lead_offer(item=item, user=pair.junior.user)  # once
    lead_offer(item=item, user=other_pair.senior.user)
    assert LeadOffer.objects.filter(item=item).count() == 2
    for stranger in (people["coordinator"], people["steering"]):
        with pytest.raises(ThemesError, match="participants of the pairs"):
            lead_offer(item=item, user=stranger)
    with pytest.raises(ThemesError, match="one of the people who volunteered"):
        lead_confirm(item=item, user=pair.senior.user)
    lead_confirm(item=item, user=pair.junior.user)
    item.refresh_from_db()
    assert item.lead == pair.junior.user
    lead_confirm(item=item, user=None)
    item.refresh_from_db()
    assert item.lead is None


@pytest.mark.django_db
def test_a_volunteer_withdraws_and_stops_leading(item, pair, other_pair):
    lead_offer(item=item, user=pair.junior.user)
    lead_offer(item=item, user=other_pair.senior.user)
    lead_confirm(item=item, user=pair.junior.user)
    lead_offer_withdraw(item=item, user=other_pair.senior.user)
    item.refresh_from_db()
    assert item.lead == pair.junior.user  # someone else withdrawing changes nothing for them
    lead_offer_withdraw(item=item, user=pair.junior.user)
    item.refresh_from_db()
    assert item.lead is None and not LeadOffer.objects.exists()


@pytest.mark.django_db
def test_a_participant_whose_pair_ended_no_longer_volunteers(item, pair):
    pair.status = "ended_early"
    pair.save()
    with pytest.raises(ThemesError):
        lead_offer(item=item, user=pair.senior.user)
