"""The outbox: every e-mail recorded with the change that causes it, sent by the worker once,
retried when the server is away, given up on when an address is refused, never held up by
another message."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage, OutboxStatus
from notifications.outbox import MAX_REFUSALS, outbox_deliver
from organisations.emails import send_email

from .. import factories
from ..mailbox import delivered
from ..smtp import MailServer, free_port, start
from ..urls import programme_url


def an_email(key: str, to: str, organisation=None) -> None:
    send_email(
        key=key,
        to=to,
        organisation=organisation,
        subject="Your reminders",
        template="invitation",
        context={"invitation": None, "purpose": "", "accept_url": "http://x.test/"},
    )


@pytest.fixture
def mail_server(settings):
    """The outbox delivers over SMTP to a server the test controls."""
    server, port = MailServer(), free_port()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 5
    controller = start(server, port)
    yield server
    controller.stop()


def later(minutes: int) -> timezone.datetime:
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.django_db
def test_an_email_is_recorded_with_its_change_and_vanishes_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        an_email("undone", "ada@example.test")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    an_email("done", "ada@example.test")
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.QUEUED
    assert [m.to for m in delivered()] == [["ada@example.test"]]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at is not None


@pytest.mark.django_db
def test_mail_goes_out_in_the_order_it_fell_due():
    for n in range(3):
        an_email(f"order:{n}", f"person{n}@example.test")
    for n, message in enumerate(OutboxMessage.objects.order_by("pk")):
        message.next_attempt_at = timezone.now() - timedelta(minutes=n)  # the last was due first
        message.save(update_fields=["next_attempt_at"])
    assert [m.to for m in delivered()] == [[f"person{n}@example.test"] for n in (2, 1, 0)]


@pytest.mark.django_db
def test_the_same_email_is_recorded_once_and_delivered_once():
    an_email("invitation:7", "ada@example.test")
    an_email("invitation:7", "ada@example.test")  # a task delivered twice records it again
    assert OutboxMessage.objects.count() == 1
    outbox_deliver()
    outbox_deliver()  # and a delivery task run twice
    assert len(delivered()) == 1


@pytest.mark.django_db
def test_a_message_a_killed_worker_was_sending_goes_again_once_with_the_same_message_id(
    mail_server, settings
):
    an_email("digest:1", "ada@example.test")
    an_email("digest:2", "ben@example.test")
    # A worker claimed the first one and died after the server took it, before marking it.
    claimed = OutboxMessage.objects.get(key="digest:1")
    OutboxMessage.objects.filter(pk=claimed.pk).update(
        status=OutboxStatus.SENDING, claim_token="dead", claimed_at=timezone.now()
    )
    outbox_deliver()
    assert [m.to for m in mail_server.received] == ["ben@example.test"]  # still leased
    lease = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS + 1)
    outbox_deliver(now=timezone.now() + lease)
    outbox_deliver(now=timezone.now() + lease)
    to_ada = mail_server.to("ada@example.test")
    assert len(to_ada) == 1 and to_ada[0].message_id == claimed.message_id
    assert len(mail_server.to("ben@example.test")) == 1


@pytest.mark.django_db
def test_a_refused_address_fails_after_a_few_tries_and_holds_up_nobody(mail_server):
    mail_server.refuse.add("gone@example.test")
    an_email("invite:gone", "gone@example.test")
    an_email("invite:ada", "ada@example.test")
    an_email("invite:ben", "ben@example.test")
    outbox_deliver()
    assert sorted(m.to for m in mail_server.received) == ["ada@example.test", "ben@example.test"]
    refused = OutboxMessage.objects.get(key="invite:gone")
    assert refused.status == OutboxStatus.QUEUED and refused.refusals == 1
    assert refused.last_error == "address refused (550)"
    for hours in range(1, MAX_REFUSALS + 2):
        outbox_deliver(now=timezone.now() + timedelta(hours=hours))
    refused.refresh_from_db()
    assert refused.status == OutboxStatus.FAILED and refused.refusals == MAX_REFUSALS
    assert len(mail_server.received) == 2  # the refused address never got through, nor twice


@pytest.mark.django_db
def test_while_the_server_is_down_mail_waits_longer_each_time_then_goes_once(settings):
    server, port = MailServer(), free_port()  # nothing listens on this port yet
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    an_email("digest:9", "ada@example.test")
    waits = []
    for minutes in (0, 2, 5):
        before = timezone.now()
        outbox_deliver(now=before + timedelta(minutes=minutes))
        message = OutboxMessage.objects.get()
        assert message.status == OutboxStatus.QUEUED
        waits.append(message.next_attempt_at - timezone.now())
    assert waits[0] < waits[1] < waits[2]  # backing off
    assert message.last_error.startswith("mail server unreachable")
    controller = start(server, port)
    try:
        outbox_deliver(now=timezone.now() + timedelta(hours=1))
        outbox_deliver(now=timezone.now() + timedelta(hours=2))
    finally:
        controller.stop()
    assert [m.to for m in server.received] == ["ada@example.test"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


@pytest.mark.django_db
def test_a_deferred_address_is_tried_again_and_never_counted_as_refused(mail_server):
    mail_server.defer.add("busy@example.test")
    an_email("digest:3", "busy@example.test")
    outbox_deliver()
    message = OutboxMessage.objects.get()
    assert (message.status, message.refusals, message.attempts) == (OutboxStatus.QUEUED, 0, 1)
    mail_server.defer.clear()
    outbox_deliver(now=later(5))
    assert len(mail_server.to("busy@example.test")) == 1


@pytest.mark.django_db
@override_settings(OUTBOX_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_coordinator_and_the_admin_see_an_address_that_cannot_be_reached(
    client, programme, people
):
    org = programme.organisation
    an_email("invitation:42", people["junior"].email, organisation=org)
    OutboxMessage.objects.update(status=OutboxStatus.FAILED, last_error="address refused (550)")
    notice = "E-mail to this address could not be delivered"
    client.force_login(people["coordinator"])
    page = client.get(programme_url("programmes:people", programme))
    assert notice in page.content.decode()
    client.force_login(people["org_admin"])
    page = client.get(reverse("members", args=[org.slug]))
    assert notice in page.content.decode()
    # Another organisation's failures are not this one's business.
    other = factories.OrganisationFactory()
    an_email("invitation:43", "someone@example.test", organisation=other)
    OutboxMessage.objects.filter(key="invitation:43").update(status=OutboxStatus.FAILED)
    page = client.get(reverse("members", args=[org.slug])).content.decode()
    assert "someone@example.test" not in page


@pytest.mark.django_db
def test_an_invitation_batch_sent_twice_reaches_each_invitee_once(programme, coordinator):
    from organisations.models import Invitation
    from organisations.services import invitations_send
    from programmes.services import Invitee, participant_invitations_create

    invitees = [Invitee(f"p{n}@example.test", f"Person {n}", "junior") for n in range(200)]
    participant_invitations_create(programme=programme, invited_by=coordinator, invitees=invitees)
    invitations_send(invitations=list(Invitation.objects.all()))  # a task delivered twice
    assert OutboxMessage.objects.count() == 200
    assert sorted(m.to[0] for m in delivered()) == sorted(i.email for i in invitees)
    assert len(delivered()) == 200


@pytest.mark.django_db
def test_a_decision_is_recorded_when_the_mail_server_is_down_and_the_request_succeeds(
    client, programme, coordinator, settings
):
    from pairs.services import participant_add

    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    candidate = factories.member(programme.organisation)
    profile = participant_add(programme=programme, user=candidate, side="junior")
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "pairs:record_decision", args=[programme.organisation.slug, programme.pk, profile.pk]
        ),
        {"decision": "selected", "subject": "Good news", "body": "You are in."},
    )
    assert response.status_code == 302  # the request never spoke to the mail server
    message = OutboxMessage.objects.get(to=candidate.email)
    assert message.status == OutboxStatus.QUEUED and message.subject == "Good news"
