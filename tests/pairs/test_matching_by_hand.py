"""Amending the matching by hand: pairing any unmatched senior with any unmatched junior, swaps
and their refusals, which name the hard rule that refused them, and locks that say so."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.roles import Side
from pairs.matching import (
    BrokenLock,
    Candidate,
    Constraints,
    HardRule,
    Weights,
    blocking_rule,
    match,
    refusal_reason,
)
from pairs.models import Decision, NeverPair, Pair, PairStatus, Profile
from pairs.services import PairsError, decision_record, matching_run, pair_propose

from ..factories import selected_cohort
from ..pages import page_text
from ..urls import programme_url

# --- the engine says which rule refuses a pair, in words ---------------------------------------

BOSS = Candidate("s1", "senior", "Alex Smith", grade=9, email="alex@example.test")
REPORT = Candidate("j1", "junior", "Priya Patel", grade=3, manager_chain=("alex@example.test",))
PEER = Candidate("j2", "junior", "Kim Lee", grade=8)


@pytest.mark.parametrize(
    ("senior", "junior", "constraints", "rule", "words"),
    [
        (
            BOSS,
            REPORT,
            Constraints(),
            HardRule.REPORTING_LINE,
            "Alex Smith and Priya Patel are in the same reporting line.",
        ),
        (
            BOSS,
            PEER,
            Constraints(min_grade_gap=2),
            HardRule.MIN_GRADE_GAP,
            "Alex Smith is only 1 grade above Kim Lee, and the minimum grade gap is 2 grades.",
        ),
        (
            Candidate("s2", "senior", "Sam Moss", grade=3),
            PEER,
            Constraints(),
            HardRule.MIN_GRADE_GAP,
            "Sam Moss is 5 grades below Kim Lee, and a senior partner is never graded below "
            "their junior partner.",
        ),
        (
            BOSS,
            PEER,
            Constraints(never=frozenset({frozenset({"s1", "j2"})})),
            HardRule.NEVER_PAIR,
            "Alex Smith and Kim Lee are marked never to be paired.",
        ),
        (BOSS, PEER, Constraints(), None, ""),
    ],
)
def test_the_engine_names_the_rule_that_refuses_a_pair(senior, junior, constraints, rule, words):
    assert blocking_rule(senior, junior, constraints) == rule
    assert refusal_reason(senior, junior, constraints) == words


def test_a_broken_lock_says_which_rule_it_breaks():
    with pytest.raises(BrokenLock) as refused:
        match([BOSS], [REPORT], Weights(), Constraints(), locked=[("s1", "j1")])
    assert refused.value.reason == "Alex Smith and Priya Patel are in the same reporting line."


# --- the matching page ---------------------------------------------------------------------


def a_cohort(programme, seniors: int, juniors: int) -> tuple[list[Profile], list[Profile]]:
    profiles = selected_cohort(programme, seniors, juniors)
    return profiles[:seniors], profiles[seniors:]


def form_of(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</form>", start)]


def selected_option(form: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
    return re.search(r'<option value="(\d+)" selected>', select).group(1)


HAND_JUNIOR = "id_handpairform_junior"


def error_beside(page: str, field_id: str) -> str:
    """The error shown beside a field, tied to it by aria-describedby."""
    assert re.search(rf'<select[^>]*aria-describedby="[^"]*{field_id}_error[^"]*"', page)
    block = re.search(rf'<div id="{field_id}_error"[^>]*>(.*?)</div>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def refused(client, programme, name: str, data: dict, field: str) -> tuple[str, str]:
    """Post a pairing the rules refuse: the refusal beside `field`, and the page it is on."""
    response = client.post(programme_url(name, programme), data)
    assert response.status_code == 400
    page = response.content.decode()
    return error_beside(page, field), page


def pair_by_hand(senior: Profile, junior: Profile) -> dict[str, int]:
    return {"senior": senior.pk, "junior": junior.pk}


@pytest.mark.django_db
def test_the_coordinator_pairs_any_unmatched_senior_with_any_unmatched_junior(
    client, programme, coordinator
):
    seniors, juniors = a_cohort(programme, 2, 3)
    client.force_login(coordinator)
    page = client.get(programme_url("pairs:matching", programme)).content.decode()
    hand = form_of(page, "hand-pair-form")
    for person in seniors + juniors:
        assert f'<option value="{person.pk}">{person.full_name} (' in hand

    response = client.post(
        programme_url("pairs:pair_by_hand", programme),
        {"senior": seniors[1].pk, "junior": juniors[2].pk},
        follow=True,
    )
    pair = Pair.objects.get(programme=programme, senior=seniors[1])
    assert (pair.junior, pair.status, pair.locked) == (juniors[2], PairStatus.PROPOSED, True)
    assert pair.coordinator_reasons  # scored and explained as the engine's proposals are
    text = page_text(response)
    assert (
        f"Paired by hand: {seniors[1].full_name} and {juniors[2].full_name}. The pair is locked, "
        "so running the matching again keeps it." in text
    )
    assert "Unmatched (3): 1 senior, 2 juniors" in text

    hand = form_of(response.content.decode(), "hand-pair-form")
    assert f'value="{seniors[1].pk}"' not in hand and f'value="{juniors[2].pk}"' not in hand
    matching_run(programme=programme)
    assert Pair.objects.filter(pk=pair.pk, junior=juniors[2]).exists()  # a re-run keeps it


@pytest.mark.django_db
def test_a_refused_hand_pairing_names_the_rule_and_keeps_the_people_chosen(
    client, programme, coordinator
):
    (senior,), (report, other) = a_cohort(programme, 1, 2)
    report.line_manager_email = senior.email
    report.save()
    client.force_login(coordinator)
    refusal, page = refused(
        client, programme, "pairs:pair_by_hand", pair_by_hand(senior, report), HAND_JUNIOR
    )
    assert refusal == (
        f"Refused: {senior.full_name} and {report.full_name} are in the same reporting line."
    )
    assert page.count(refusal) == 1  # beside the field; the page's summary repeats it
    hand = form_of(page, "hand-pair-form")
    assert selected_option(hand, "senior") == str(senior.pk)
    assert selected_option(hand, "junior") == str(report.pk)
    assert not Pair.objects.filter(programme=programme).exists()

    other.grade = senior.grade - 1
    other.save()
    refusal, _ = refused(
        client, programme, "pairs:pair_by_hand", pair_by_hand(senior, other), HAND_JUNIOR
    )
    assert refusal == (
        f"Refused: {senior.full_name} is only 1 grade above {other.full_name}, and the minimum "
        "grade gap is 2 grades."
    )
    assert not Pair.objects.filter(programme=programme).exists()

    # Only one side chosen: the other is asked for beside its list; the choice made stays.
    missing, page = refused(
        client, programme, "pairs:pair_by_hand", {"senior": senior.pk, "junior": ""}, HAND_JUNIOR
    )
    assert missing == "Choose the junior partner."
    assert selected_option(form_of(page, "hand-pair-form"), "senior") == str(senior.pk)
    assert not Pair.objects.filter(programme=programme).exists()


@pytest.mark.django_db
def test_a_never_pair_is_refused_by_hand_too(client, programme, coordinator):
    (senior,), (junior,) = a_cohort(programme, 1, 1)
    NeverPair.objects.create(programme=programme, senior=senior, junior=junior)
    client.force_login(coordinator)
    refusal, _ = refused(
        client, programme, "pairs:pair_by_hand", pair_by_hand(senior, junior), HAND_JUNIOR
    )
    assert refusal == (
        f"Refused: {senior.full_name} and {junior.full_name} are marked never to be paired."
    )


@pytest.mark.django_db
def test_only_unmatched_selected_people_on_their_own_side_can_be_paired_by_hand(
    client, programme, coordinator
):
    (paired, free), (partner, junior) = a_cohort(programme, 2, 2)
    pair_propose(programme=programme, senior=paired, junior=partner)
    waiting = selected_cohort(programme, 0, 1)[0]
    decision_record(profile=waiting, decision=Decision.WAIT_LISTED, subject="-", body="-")
    client.force_login(coordinator)
    for chosen in [(paired, junior), (free, partner), (free, waiting), (junior, free)]:
        response = client.post(
            programme_url("pairs:pair_by_hand", programme), pair_by_hand(*chosen)
        )
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert Pair.objects.filter(programme=programme).count() == 1

    # The service refuses the same, whatever reaches it.
    for chosen_senior, chosen_junior, reason in [
        (paired, junior, f"{paired.full_name} is already in a pair."),
        (free, waiting, f"{waiting.full_name} is not selected, so cannot be paired."),
        (junior, free, f"{junior.full_name} is not on the senior side of this programme."),
    ]:
        with pytest.raises(PairsError, match=re.escape(reason)):
            pair_propose(programme=programme, senior=chosen_senior, junior=chosen_junior)


@pytest.mark.django_db
def test_a_refused_swap_names_the_rule_beside_the_field(client, programme, coordinator):
    (anna, bilal), (dev, esi) = a_cohort(programme, 2, 2)
    esi.line_manager_email = anna.email
    esi.save()
    first = pair_propose(programme=programme, senior=anna, junior=dev)
    second = pair_propose(programme=programme, senior=bilal, junior=esi)
    client.force_login(coordinator)
    refusal, page = refused(
        client,
        programme,
        "pairs:swap_pairs",
        {"first": first.pk, "second": second.pk},
        "id_swapform_second",
    )
    assert refusal == (
        f"Refused: {anna.full_name} and {esi.full_name} are in the same reporting line."
    )
    swap = form_of(page, "swap-form")
    assert selected_option(swap, "first") == str(first.pk)
    assert selected_option(swap, "second") == str(second.pk)
    current = set(Pair.objects.values_list("senior_id", "junior_id", "status"))
    assert current == {(anna.pk, dev.pk, "proposed"), (bilal.pk, esi.pk, "proposed")}


@pytest.mark.django_db
def test_a_locked_pair_the_rules_now_refuse_is_named_when_the_matching_runs(
    client, programme, coordinator
):
    (senior,), (junior,) = a_cohort(programme, 1, 1)
    pair_propose(programme=programme, senior=senior, junior=junior)
    junior.line_manager_email = senior.email
    junior.save()
    client.force_login(coordinator)
    response = client.post(
        programme_url("pairs:run_matching", programme),
        {
            "diversity_weight": 3,
            "department_weight": 2,
            "function_weight": 1,
            "location_weight": 1,
            "grade_gap_weight": 1,
            "min_grade_gap": 2,
        },
    )
    assert response.status_code == 400
    assert (
        f"A locked pair breaks a hard rule now: {senior.full_name} and {junior.full_name} are in "
        "the same reporting line. Unlock it and run the matching again." in page_text(response)
    )


@pytest.mark.django_db
def test_locking_and_unlocking_say_so_and_the_page_says_which_pairs_are_locked(
    client, programme, coordinator
):
    selected_cohort(programme, 2, 2)
    matching_run(programme=programme)
    pair = Pair.objects.select_related("senior", "junior").filter(programme=programme).first()
    names = f"{pair.senior.full_name} and {pair.junior.full_name}"
    client.force_login(coordinator)

    response = client.post(programme_url("pairs:lock_pair", programme, pair.pk), follow=True)
    assert f"Locked: {names} stay paired when the matching runs again." in page_text(response)
    states = re.findall(r'data-testid="lock-state">([^<]*)<', response.content.decode())
    assert sorted(states) == ["Locked", "Not locked"]

    response = client.post(programme_url("pairs:unlock_pair", programme, pair.pk), follow=True)
    assert (
        f"Unlocked: {names} may be paired differently when the matching runs again."
        in page_text(response)
    )
    states = re.findall(r'data-testid="lock-state">([^<]*)<', response.content.decode())
    assert states == ["Not locked", "Not locked"]


def many_proposals(programme, count: int, unmatched: int) -> None:
    """`count` proposed pairs and `unmatched` selected people on each side, made in bulk."""
    profiles = [
        Profile(
            programme=programme,
            email=f"{side}{n}@bulk.test",
            full_name=f"{side} {n}",
            side=side,
            decision=Decision.SELECTED,
            grade=9 if side == Side.SENIOR else 3,
        )
        for n in range(count + unmatched)
        for side in (Side.SENIOR, Side.JUNIOR)
    ]
    Profile.objects.bulk_create(profiles)
    seniors, juniors = profiles[0::2], profiles[1::2]
    Pair.objects.bulk_create(
        Pair(programme=programme, senior=s, junior=j, locked=n % 2 == 0)
        for n, (s, j) in enumerate(zip(seniors[:count], juniors[:count], strict=True))
    )


@pytest.mark.django_db
def test_the_matching_page_takes_the_same_queries_for_2_20_and_300_proposals(client, org):
    from .. import factories

    counts, sizes = [], []
    for count in (2, 20, 300):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator, name=f"Cohort {count}")
        many_proposals(programme, count, unmatched=count // 2)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(programme_url("pairs:matching", programme))
        assert response.status_code == 200
        counts.append(len(queries))
        page = response.content.decode()
        sizes.append(
            (
                page.count('data-testid="proposed-pair"'),
                len(re.findall(r'<option value="\d+"', form_of(page, "swap-form"))) // 2,
                len(re.findall(r'<option value="\d+"', form_of(page, "hand-pair-form"))),
            )
        )
    assert counts[0] == counts[1] == counts[2], counts
    # Refused, the page is shown at the form's address; its pager still leads to the page.
    refused = client.post(programme_url("pairs:pair_by_hand", programme) + "?page=2", {})
    assert refused.status_code == 400
    assert f'href="{programme_url("pairs:matching", programme)}?page=3">Next' in (
        refused.content.decode()
    )
    # A page of proposals at a time; each swap list names every proposal, the hand pairing
    # offers one list per side of only the unmatched.
    assert sizes == [(2, 2, 2), (20, 20, 20), (25, 300, 300)]


@pytest.mark.django_db
def test_the_unmatched_are_listed_a_page_at_a_time_and_found_by_name_or_side(client, org):
    """Before the matching first runs, everyone selected is unmatched: 600 people at 300 pairs."""
    from .. import factories

    coordinator = factories.member(org)
    programme = factories.programme(org, coordinator=coordinator)
    many_proposals(programme, 2, unmatched=30)
    client.force_login(coordinator)
    url = programme_url("pairs:matching", programme)

    def unmatched(**query) -> list[str]:
        page = client.get(url, query).content.decode()
        listed = re.search(r'<ul data-testid="unmatched">(.*?)</ul>', page, re.S)
        return re.findall(r"<li>([^<]*)</li>", listed.group(1)) if listed else []

    first = page_text(client.get(url))
    assert "Unmatched (60): 30 seniors, 30 juniors" in first
    assert len(unmatched()) == 25 and unmatched()[0] == "junior 10 (junior side)"
    assert len(unmatched(unmatched_page=3)) == 10
    assert unmatched(name="SENIOR 1") == [f"senior {n} (senior side)" for n in range(10, 20)]
    assert unmatched(side="senior", unmatched_page=2)[-1] == "senior 9 (senior side)"
    refused = page_text(client.get(url, {"name": "x" * 101}))
    assert "at most 100 characters" in refused and len(unmatched(name="x" * 101)) == 25
    assert "Nobody unmatched matches." in page_text(client.get(url, {"name": "nobody"}))
    # The hand pairing still offers everyone unmatched on each side, whatever the list shows.
    hand = form_of(client.get(url, {"name": "senior 1"}).content.decode(), "hand-pair-form")
    assert len(re.findall(r'<option value="\d+"', hand)) == 60


@pytest.mark.django_db
def test_a_short_unmatched_list_needs_no_search(client, programme, people):
    selected_cohort(programme, 3, 4)
    client.force_login(people["coordinator"])
    url = programme_url("pairs:matching", programme)
    matching_run(programme=programme)
    for query in ({}, {"page": "1"}):
        response = client.get(url, query)
        assert "Unmatched (1): 1 junior" in page_text(response)
        assert 'aria-label="Find the unmatched"' not in response.content.decode()
        assert "Show everyone unmatched" not in page_text(response)
    found = client.get(url, {"side": "senior"})
    assert 'aria-label="Find the unmatched"' in found.content.decode()
    assert "Nobody unmatched matches. Show everyone unmatched" in page_text(found)
