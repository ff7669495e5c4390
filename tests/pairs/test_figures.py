"""A pair keeps the figures the dashboards read (meetings, check-ins, agreement, open concerns),
and every write that changes what they count keeps them true."""

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import DateField, F, Value
from django.utils import timezone

from organisations.erasure import personal_data_erase
from organisations.personal_data import Erasure
from pairs.models import ConcernActionKind, Pair
from pairs.selectors import PairRow, dashboard_pairs, pair_figures, pairs_with_figures, quiet
from pairs.services import (
    agreement_confirm,
    agreement_propose,
    checkin_log,
    concern_act,
    concern_raise,
    pair_figures_refresh,
)

from ..factories import log_meeting

TERMS = {
    "meeting_frequency": "Monthly",
    "meeting_place": "Online",
    "confidentiality": "Ours",
    "ground_rules": "Equals",
}


def figures(pair: Pair) -> dict[str, object]:
    return Pair.objects.filter(pk=pair.pk).values(*pair_figures()).get()


def worked_out_again(pair: Pair) -> dict[str, object]:
    expressions = {f"worked_out_{name}": value for name, value in pair_figures().items()}
    row = Pair.objects.filter(pk=pair.pk).values(**expressions).get()
    return {name.removeprefix("worked_out_"): value for name, value in row.items()}


@pytest.mark.django_db
def test_a_new_pair_has_nothing_counted(pair):
    assert figures(pair) == {
        "meetings_count": 0,
        "last_meeting": None,
        "checkins_count": 0,
        "last_checkin": None,
        "last_checkin_status": "",
        "agreement_version": None,
        "agreed_version": None,
        "open_concerns": 0,
    }


@pytest.mark.django_db
def test_each_write_keeps_the_figures_true(pair, people):
    today = timezone.localdate()
    senior, junior, coordinator = people["senior"], people["junior"], people["coordinator"]
    log_meeting(pair, senior, day=today - timedelta(days=9))
    log_meeting(pair, junior, day=today - timedelta(days=20))  # logged late, met earlier
    checkin_log(pair=pair, by=people["steering"], day=today, status="at_risk")
    first = agreement_propose(pair=pair, by=senior, values=TERMS)
    agreement_confirm(agreement=first, by=junior, version=1)
    agreement_propose(pair=pair, by=junior, values={**TERMS, "meeting_place": "Café"})
    kept = concern_raise(pair=pair, by=junior, text="Meetings keep moving")
    closed = concern_raise(pair=pair, by=senior, text="Too formal")
    concern_act(concern=closed, by=coordinator, kind=ConcernActionKind.CLOSE)
    concern_act(concern=kept, by=coordinator, kind=ConcernActionKind.TALK)

    assert figures(pair) == {
        "meetings_count": 2,
        "last_meeting": today - timedelta(days=9),
        "checkins_count": 1,
        "last_checkin": today,
        "last_checkin_status": "at_risk",
        "agreement_version": 2,
        "agreed_version": 1,
        "open_concerns": 1,
    }
    assert figures(pair) == worked_out_again(pair)


@pytest.mark.django_db
def test_erasing_a_partner_takes_their_open_concerns_out_of_the_count(pair, people):
    concern_raise(pair=pair, by=people["junior"], text="Meetings keep moving")
    concern_raise(pair=pair, by=people["senior"], text="Too formal")
    personal_data_erase(Erasure(pair.programme.organisation, person=people["junior"]))
    assert figures(pair)["open_concerns"] == 1


@pytest.mark.django_db
def test_a_refresh_repairs_figures_written_around_the_services(pair, people):
    log_meeting(pair, people["senior"])
    Pair.objects.filter(pk=pair.pk).update(meetings_count=7, open_concerns=3)
    pair_figures_refresh(pairs=Pair.objects.filter(pk=pair.pk))
    assert (figures(pair)["meetings_count"], figures(pair)["open_concerns"]) == (1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_the_quiet_rule_for_a_date_is_the_rule_for_an_expression_of_it(pair, zone):
    """Lists compare published_at with the local midnight; the sweep compares its local date."""
    since = date(2026, 11, 10)
    with timezone.override(zone):
        midnight = timezone.make_aware(datetime.combine(since, time()))
        for published in (midnight - timedelta(minutes=1), midnight, midnight + timedelta(hours=1)):
            Pair.objects.filter(pk=pair.pk).update(published_at=published, last_meeting=None)
            by_date = Pair.objects.filter(quiet(since), pk=pair.pk).exists()
            by_expression = Pair.objects.filter(
                quiet(Value(since, output_field=DateField())), pk=pair.pk
            ).exists()
            assert by_date == by_expression == (published < midnight), (zone, published)


def each_state_of(pair):
    """Puts the pair in every combination of the kept figures that the attention rules read
    (published long ago), yielding each combination and whether it is quiet."""
    today = timezone.localdate()
    long_ago = today - timedelta(weeks=pair.programme.quiet_weeks + 1)
    states = itertools.product(
        ["active", "ended_early"],
        [0, 1],
        [[], ["A low answer on “going”"]],
        ["", "on_track", "needs_support", "at_risk"],
        [today, long_ago, None],
        [(None, None), (1, 1), (2, 1)],
    )
    for status, concerns, flags, checkin, met, (version, agreed) in states:
        Pair.objects.filter(pk=pair.pk).update(
            status=status,
            open_concerns=concerns,
            pulse_flags=flags,
            last_checkin_status=checkin,
            last_meeting=met,
            published_at=timezone.now() - timedelta(days=400),
            agreement_version=version,
            agreed_version=agreed,
        )
        quiet = met != today  # no meeting for long, or none since it was published
        yield status, concerns, flags, checkin, quiet, version, agreed


@pytest.mark.django_db
def test_a_pair_is_flagged_exactly_when_the_dashboard_has_a_reason_in_words(pair):
    today = timezone.localdate()
    for state in each_state_of(pair):
        shown = pairs_with_figures(pair.programme, today).get(pk=pair.pk)
        flagged = dashboard_pairs(pair.programme, today, flagged=True).filter(pk=pair.pk).exists()
        assert bool(PairRow(shown).attention_reasons) == flagged, state


def expected_attention(status, concerns, flags, checkin, quiet, version, agreed) -> int:
    """The weights the coordinator's ranking gives, written out: an open concern counts
    whatever became of the pair, the rest only while it is active."""
    active = status == "active"
    return (
        8 * bool(concerns)
        + 4 * (active and bool(flags))
        + 4 * (active and checkin == "at_risk")
        + 2 * (active and checkin == "needs_support")
        + 2 * (active and quiet)
        + 1 * (active and (agreed is None or agreed != version))
    )


@pytest.mark.django_db
def test_pairs_rank_by_the_weights_of_what_asks_for_attention(pair):
    ranked = pairs_with_figures(pair.programme, timezone.localdate())
    for state in each_state_of(pair):
        weight = ranked.annotate(weight=F("attention")).get(pk=pair.pk).weight
        assert weight == expected_attention(*state), state
