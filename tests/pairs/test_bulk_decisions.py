"""Deciding several candidates at once from the candidates and the review pages: each decision
recorded and e-mailed exactly as one decided alone, and the coordinator kept where they were."""

import re

import pytest
from django.utils.http import urlencode

from organisations.roles import Side
from pairs.models import Decision, Pair, PairStatus, Profile
from pairs.services import matching_run, participant_add
from programmes.models import ProgrammeMember

from .. import factories
from ..mailbox import delivered
from ..pages import page_text
from ..urls import programme_url

WORDS = {"subject": "About the pilot", "body": "You are on our waiting list for now."}


def candidates(programme, count: int) -> list[Profile]:
    return [
        participant_add(
            programme=programme,
            user=factories.member(programme.organisation, full_name=f"Candidate {n:02}"),
            side=Side.JUNIOR if n % 2 else Side.SENIOR,
        )
        for n in range(count)
    ]


def decide(client, programme, chosen, *, back="candidates", query=None, **fields):
    url = programme_url("pairs:decide_candidates", programme)
    return client.post(
        f"{url}?{urlencode(query)}" if query else url,
        {
            "back": back,
            "profiles": [p.pk for p in chosen],
            "decision": Decision.WAIT_LISTED,
            **WORDS,
            **fields,
        },
    )


def ticked(page: str) -> set[int]:
    return {
        int(pk)
        for pk in re.findall(
            r'name="profiles" value="(\d+)"[^>]*form="bulk-decision" checked', page
        )
    }


@pytest.mark.django_db
def test_several_candidates_are_decided_at_once_and_each_is_e_mailed_once(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    people = candidates(programme, 4)
    chosen, left = people[:3], people[3]
    client.force_login(coordinator)
    page = client.get(programme_url("pairs:candidates", programme)).content.decode()
    assert len(re.findall(r'data-testid="choose-candidate"', page)) == 4
    assert 'data-testid="bulk-decision-form"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, programme, chosen)
    assert response.status_code == 302
    for profile in chosen:
        profile.refresh_from_db()
        assert (profile.decision, profile.decided_at is not None) == (Decision.WAIT_LISTED, True)
    left.refresh_from_db()
    assert left.decision == Decision.PENDING and left.decided_at is None
    sent = delivered()
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in chosen)  # once each
    for profile in chosen:
        [message] = [m for m in sent if m.to == [profile.email]]
        assert message.subject == WORDS["subject"]
        assert f"Hello {profile.full_name}," in message.body and WORDS["body"] in message.body

    shown = page_text(client.get(response.url))
    assert (
        "3 candidates wait-listed, each e-mailed once: Candidate 00, Candidate 01 and "
        "Candidate 02." in shown
    )


@pytest.mark.django_db
def test_a_decision_for_several_is_recorded_exactly_as_one_decided_alone(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    """Not selected takes each person out of any proposal, as the single decision does."""
    people = factories.selected_cohort(programme, 2, 2)
    matching_run(programme=programme)
    delivered().clear()  # the cohort's own "selected" e-mails
    alone, together = people[0], people[1]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            programme_url("pairs:record_decision", programme, alone.pk),
            {"decision": Decision.NOT_SELECTED, **WORDS},
        )
        decide(client, programme, [together], decision=Decision.NOT_SELECTED)
    single, bulk = (
        [m for m in delivered() if m.to == [profile.email]] for profile in (alone, together)
    )
    assert [m.subject for m in single] == [m.subject for m in bulk] == [WORDS["subject"]]
    assert single[0].body.replace(alone.full_name, "X") == bulk[0].body.replace(
        together.full_name, "X"
    )
    assert not Pair.objects.filter(status=PairStatus.PROPOSED, senior__in=[alone, together])


@pytest.mark.django_db
def test_nothing_chosen_is_refused_and_the_filter_and_page_are_kept(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    people = candidates(programme, 30)
    query = {"decision": Decision.PENDING, "page": "2"}
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        refused = decide(client, programme, [], query=query)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Choose at least one candidate: tick the box beside each one you decide." in text
    assert "Page 2 of 2" in text  # the same filter and page, not the first page of everyone
    page = refused.content.decode()
    assert 'value="pending" selected' in page
    # Shown at the decision's address, the page's filter and pager still lead to the page.
    back = programme_url("pairs:candidates", programme)
    assert f'<form method="get" action="{back}"' in page
    assert f'href="{back}?decision=pending&amp;page=1">Previous' in page
    assert delivered() == []
    assert not Profile.objects.exclude(decision=Decision.PENDING).exists()

    chosen = [p for p in people if p.full_name in ("Candidate 03", "Candidate 29")]
    with django_capture_on_commit_callbacks(execute=True):
        done = decide(client, programme, chosen, query=query)
    assert done.status_code == 302 and done.url == f"{back}?{urlencode(query)}"
    assert len(delivered()) == 2


@pytest.mark.django_db
def test_a_refused_decision_keeps_the_boxes_ticked_and_the_words_typed(
    client, programme, coordinator
):
    people = candidates(programme, 3)
    client.force_login(coordinator)
    response = decide(client, programme, people[:2], subject="Hi\nBcc: all@x.test")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the subject on one line." in page
    assert ticked(page) == {people[0].pk, people[1].pk}
    assert WORDS["body"] in page
    assert not Profile.objects.exclude(decision=Decision.PENDING).exists()


@pytest.mark.django_db
def test_the_coordinator_decides_several_from_the_review_page_and_returns_to_it(
    client, programme, people, django_capture_on_commit_callbacks
):
    chosen = candidates(programme, 2)
    client.force_login(people["coordinator"])
    review = client.get(programme_url("pairs:review", programme)).content.decode()
    for profile in chosen:
        assert f'name="profiles" value="{profile.pk}" id="choose-{profile.pk}"' in review
    refused = decide(client, programme, [], back="review", query={"q": "Candidate"})
    assert refused.status_code == 400
    assert "Senior side" in page_text(refused)  # the review page, filter kept
    assert 'value="Candidate"' in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = decide(
            client, programme, chosen, back="review", decision=Decision.SELECTED, query={"q": "C"}
        )
    assert done.url == programme_url("pairs:review", programme) + "?q=C"
    assert len(delivered()) == 2

    # A steering member asked to review reads the one-pagers, and decides nothing.
    member = people["steering"]
    ProgrammeMember.objects.filter(programme=programme, user=member).update(reviews_candidates=True)
    client.force_login(member)
    review = client.get(programme_url("pairs:review", programme)).content.decode()
    assert "one-pager" in review and "choose-candidate" not in review
    assert "bulk-decision" not in review
    assert decide(client, programme, chosen, back="review").status_code == 403


@pytest.mark.django_db
def test_without_javascript_the_suggested_words_follow_the_decision_and_nothing_is_sent(
    client, programme, coordinator
):
    people = candidates(programme, 2)
    client.force_login(coordinator)
    response = decide(client, programme, people[:1], decision=Decision.NOT_SELECTED, suggest="1")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{programme.name}: thank you for applying" in page
    assert ticked(page) == {people[0].pk}
    assert delivered() == []
    assert not Profile.objects.exclude(decision=Decision.PENDING).exists()


@pytest.mark.django_db
def test_another_programmes_candidate_cannot_be_decided(client, programme, coordinator, org):
    other = factories.programme(org, coordinator=coordinator, name="Other")
    stranger = candidates(other, 1)[0]
    client.force_login(coordinator)
    response = decide(client, programme, [stranger])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.decision == Decision.PENDING
