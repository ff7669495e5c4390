"""The path of a referral: raised, triaged, agreed to, assigned, supervised, closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage, Reminder
from organisations.roles import Role
from pairs.models import PairStatus
from programmes.models import GroupSession
from supervision.models import (
    AgendaIssue,
    Consent,
    Outcome,
    ReferralStatus,
    Route,
    Urgency,
)
from supervision.plain import status_in_plain_words
from supervision.services import (
    SupervisionError,
    consent_answer,
    note_add,
    outcome_record,
    pair_end_after_referral,
    referral_accept,
    referral_assign,
    referral_decline,
    referral_hand_back,
    referral_raise,
    referral_route,
    session_book,
)

from .. import factories
from ..mailbox import delivered

SECRET = "My partner keeps cancelling and I feel dismissed"


def raise_one(pair, people, who="junior", urgency=Urgency.ROUTINE, about="senior", **kw):
    return referral_raise(
        pair=pair,
        by=people[who],
        raised_as=kw.pop("raised_as", Role.PARTICIPANT),
        concerning=kw.pop("concerning", "person"),
        person=people[about] if about else None,
        text=SECRET,
        urgency=urgency,
    )


@pytest.mark.django_db
def test_a_partner_raises_about_their_own_pair_and_nobody_else_can(pair, people, programme):
    referral = raise_one(pair, people)
    assert referral.status == ReferralStatus.NEW and referral.events.get().kind == "raised"
    outsider = factories.programme_person(programme, Role.PARTICIPANT, "senior")
    with pytest.raises(SupervisionError):
        raise_one(pair, {**people, "junior": outsider})
    with pytest.raises(SupervisionError):  # a steering member only for the pairs they look after
        raise_one(
            pair,
            {**people, "junior": people["executive"]},
            raised_as=Role.STEERING,
            about=None,
            concerning="pair",
        )
    raise_one(pair, people, who="steering", raised_as=Role.STEERING, about=None, concerning="pair")
    pair.status = PairStatus.COMPLETED
    pair.save()
    with pytest.raises(SupervisionError):
        raise_one(pair, people)


@pytest.mark.django_db
def test_an_urgent_referral_reaches_every_coordinator_at_once_without_its_words(
    pair, people, programme
):
    second = factories.programme_person(programme, Role.COORDINATOR)
    raise_one(pair, people, urgency=Urgency.URGENT)
    sent = {m.to[0]: m for m in delivered()}
    assert set(sent) >= {people["coordinator"].email, second.email}
    message = sent[people["coordinator"].email]
    assert "urgent referral" in message.subject
    assert SECRET not in message.subject + message.body
    assert SECRET not in message.alternatives[0][0]
    notice = Reminder.objects.get(
        recipient=people["coordinator"], key__startswith="referral-urgent"
    )
    assert notice.sent_at is not None and SECRET not in notice.subject + notice.body
    assert OutboxMessage.objects.filter(key__startswith="referral-urgent").count() == 2


@pytest.mark.django_db
def test_individual_supervision_for_someone_who_did_not_ask_waits_for_their_agreement(
    pair, people, supervisor
):
    referral = raise_one(pair, people, who="junior", about="senior")
    referral_route(referral=referral, by=people["coordinator"], route=Route.INDIVIDUAL)
    assert referral.status == ReferralStatus.AWAITING_CONSENT
    consent = Consent.objects.get(referral=referral)
    assert consent.user == people["senior"]
    with pytest.raises(SupervisionError):
        referral_assign(referral=referral, supervisor=supervisor, by=people["coordinator"])
    consent_answer(consent=consent, user=people["senior"], agreed=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ASSIGNMENT


@pytest.mark.django_db
def test_pair_supervision_needs_both_partners_and_a_refusal_goes_back_to_the_coordinator(
    pair, people
):
    referral = raise_one(
        pair, people, who="steering", raised_as=Role.STEERING, about=None, concerning="pair"
    )
    referral_route(referral=referral, by=people["coordinator"], route=Route.PAIR)
    asked = {c.user for c in Consent.objects.filter(referral=referral)}
    assert asked == {people["senior"], people["junior"]}
    consent_answer(
        consent=Consent.objects.get(referral=referral, user=people["senior"]),
        user=people["senior"],
        agreed=True,
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_CONSENT  # the other partner still to answer
    consent_answer(
        consent=Consent.objects.get(referral=referral, user=people["junior"]),
        user=people["junior"],
        agreed=False,
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONSENT_REFUSED
    assert "Not everyone agreed" in status_in_plain_words(referral)


@pytest.mark.django_db
def test_a_partner_who_asks_for_pair_supervision_is_not_asked_again(pair, people):
    referral = raise_one(pair, people, who="junior", about=None, concerning="pair")
    referral_route(referral=referral, by=people["coordinator"], route=Route.PAIR)
    assert [c.user for c in Consent.objects.filter(referral=referral)] == [people["senior"]]


@pytest.mark.django_db
def test_group_supervision_takes_only_the_anonymised_summary_once_the_raiser_agrees(
    pair, people, programme
):
    GroupSession.objects.filter(programme=programme).update(
        date=timezone.localdate() + timedelta(days=10)
    )
    referral = raise_one(pair, people)
    with pytest.raises(SupervisionError):  # the coordinator must confirm it suits a group
        referral_route(
            referral=referral, by=people["coordinator"], route=Route.GROUP, summary="A theme"
        )
    referral_route(
        referral=referral,
        by=people["coordinator"],
        route=Route.GROUP,
        suits_group=True,
        summary="Meetings cancelled at short notice by the more senior partner",
    )
    assert referral.status == ReferralStatus.AWAITING_CONSENT
    assert not AgendaIssue.objects.exists()
    consent_answer(
        consent=Consent.objects.get(referral=referral), user=people["junior"], agreed=True
    )
    issue = AgendaIssue.objects.get()
    assert issue.summary == "Meetings cancelled at short notice by the more senior partner"
    assert SECRET not in issue.summary
    assert issue.session == GroupSession.objects.get(programme=programme, sequence=1)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_GROUP_AGENDA


@pytest.mark.django_db
def test_a_declined_referral_tells_whoever_raised_it_why(pair, people):
    referral = raise_one(pair, people)
    with pytest.raises(SupervisionError):
        referral_decline(referral=referral, by=people["coordinator"], reason="  ")
    referral_decline(
        referral=referral, by=people["coordinator"], reason="Let us talk about it first."
    )
    assert status_in_plain_words(referral).endswith("Let us talk about it first.")
    assert not referral.is_open


@pytest.mark.django_db
def test_a_supervisor_takes_cases_up_to_their_capacity_and_can_hand_one_back(
    pair, people, supervisor, second_supervisor
):
    referrals = []
    for _ in range(3):
        referral = raise_one(pair, people, who="senior", about="senior")
        referral_route(referral=referral, by=people["coordinator"], route=Route.INDIVIDUAL)
        referrals.append(referral)
    for referral in referrals[:2]:
        referral_assign(referral=referral, supervisor=supervisor, by=people["coordinator"])
    with pytest.raises(SupervisionError, match="capacity"):
        referral_assign(referral=referrals[2], supervisor=supervisor, by=people["coordinator"])
    with pytest.raises(SupervisionError):  # only the supervisor assigned answers
        referral_accept(referral=referrals[0], by=second_supervisor.user)
    referral_hand_back(referral=referrals[0], by=people["supervisor"], reason="I know them well")
    assert referrals[0].status == ReferralStatus.AWAITING_ASSIGNMENT
    assert referrals[0].events.last().note == "I know them well"
    referral_assign(referral=referrals[2], supervisor=supervisor, by=people["coordinator"])


@pytest.mark.django_db
def test_a_case_runs_to_an_outcome_and_ending_the_pair_is_offered_without_blame(
    pair, people, supervisor
):
    referral = raise_one(pair, people, who="senior", about="senior")
    referral_route(referral=referral, by=people["coordinator"], route=Route.INDIVIDUAL)
    referral_assign(referral=referral, supervisor=supervisor, by=people["coordinator"])
    referral_accept(referral=referral, by=people["supervisor"])
    session = session_book(
        referral=referral,
        by=people["supervisor"],
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=60,
        mode="virtual",
        place="https://meet.example.org/x",
    )
    booked = Reminder.objects.get(key=f"supervision-booked:{session.pk}:{people['senior'].pk}")
    assert "supervision session" in booked.subject and SECRET not in booked.body
    assert not Reminder.objects.filter(recipient=people["junior"], key__contains="supervision")
    note_add(referral=referral, author=people["supervisor"], text="Talked about boundaries")
    with pytest.raises(SupervisionError):
        pair_end_after_referral(referral=referral, by=people["coordinator"])
    outcome_record(referral=referral, by=people["supervisor"], outcome=Outcome.END_PAIR, close=True)
    assert referral.status == ReferralStatus.CLOSED
    ended = pair_end_after_referral(referral=referral, by=people["coordinator"])
    assert ended.status == PairStatus.ENDED_EARLY
    assert ended.history.last().note == "Ended without blame, as supervision recommended"
