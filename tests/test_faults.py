"""The background work under faults, on real PostgreSQL, Redis, Celery workers and an SMTP
server: a worker killed mid-send, tasks delivered twice and at once, a mail server that refuses
and comes back, Redis down under the web app. Each counts what every person received."""

import json
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage, OutboxStatus, Reminder
from organisations.emails import send_email
from organisations.roles import OrgRole
from reports.models import ProgrammeReport

from . import factories
from .smtp import MailServer, free_port, start
from .workers import run_python, wait_until, web_process_env

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def mail_server():
    server, port = MailServer(), free_port()
    controller = start(server, port)
    server.port = port
    yield server
    server.release()
    controller.stop()


def smtp_env(server: MailServer, **more: str) -> dict[str, str]:
    return {
        "EMAIL_DELIVERY_BACKEND": SMTP,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_USE_TLS": "false",
        **more,
    }


def record(key: str, to: str, organisation) -> None:
    send_email(
        key=key,
        to=to,
        organisation=organisation,
        subject="Your reminders",
        template="invitation",
        context={"invitation": None, "purpose": "", "accept_url": "http://x.test/"},
    )


def counts(server: MailServer, people: list[str]) -> dict[str, int]:
    return {person: len(server.to(person)) for person in people}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_the_server_takes_a_message_sends_that_one_again_and_no_other(
    workers, mail_server, org
):
    people = ["ada@example.test", "ben@example.test", "cleo@example.test"]
    with transaction.atomic():
        for person in people:
            record(f"digest:{person}", person, org)
    mail_server.hold.add("ben@example.test")
    group = workers(**smtp_env(mail_server, OUTBOX_CLAIM_LEASE_SECONDS="3"))
    first = group.start()
    group.send("notifications.deliver_outbox")
    # The server has Ben's message; the worker waits for its answer and is killed.
    assert wait_until(lambda: mail_server.to("ben@example.test"), timeout=60)
    group.kill(first)
    mail_server.release()
    group.start()
    time.sleep(3.5)  # the dead worker's claim lapses
    group.send("notifications.deliver_outbox")
    assert wait_until(lambda: counts(mail_server, people)["cleo@example.test"] == 1, timeout=60)
    wait_until(lambda: False, timeout=3)  # anything sent twice would have arrived by now
    assert counts(mail_server, people) == {
        "ada@example.test": 1,
        "ben@example.test": 2,  # the one message in flight, again ...
        "cleo@example.test": 1,
    }
    bens = mail_server.to("ben@example.test")
    assert bens[0].message_id == bens[1].message_id  # ... as the same message
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_sweeps_and_deliveries_twice_and_at_once_e_mail_each_person_once(
    workers, mail_server, org, settings
):
    people = [factories.member(org) for _ in range(4)]
    for person in people:
        Reminder.objects.create(
            organisation=org,
            recipient=person,
            key=f"hello:{person.pk}",
            subject="Hello",
            body="A reminder",
            due_at=timezone.now(),
        )
    group = workers(**smtp_env(mail_server))
    group.start(concurrency=2)
    group.start(concurrency=2)
    sweeps = [group.send("notifications.sweep_organisation", org.pk) for _ in range(4)]
    deliveries = [group.send("notifications.deliver_outbox") for _ in range(4)]
    for result in sweeps + deliveries:
        result.get(timeout=90)
    addresses = [person.email for person in people]
    wait_until(lambda: sum(counts(mail_server, addresses).values()) >= 4, timeout=30)
    wait_until(lambda: False, timeout=3)
    assert counts(mail_server, addresses) == dict.fromkeys(addresses, 1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_refuses_then_comes_back_loses_nothing_and_repeats_nothing(
    workers, mail_server, org
):
    fine = ["ada@example.test", "ben@example.test"]
    gone = "gone@example.test"
    with transaction.atomic():
        for person in [*fine, gone]:
            record(f"invitation:{person}", person, org)
    mail_server.defer.update(fine)  # "try again later"
    mail_server.refuse.add(gone)  # "no such mailbox"
    group = workers(**smtp_env(mail_server, OUTBOX_FIRST_RETRY_SECONDS="1"))
    group.start()

    def deliver_until(condition, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            group.send("notifications.deliver_outbox").get(timeout=60)
            if condition():
                return True
            time.sleep(0.5)
        return condition()

    assert deliver_until(lambda: OutboxMessage.objects.filter(attempts__gte=2).count() == 3, 30)
    assert counts(mail_server, fine) == {"ada@example.test": 0, "ben@example.test": 0}
    mail_server.defer.clear()  # the server is back
    assert deliver_until(
        lambda: not OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).exists(), 60
    )
    assert counts(mail_server, fine) == {"ada@example.test": 1, "ben@example.test": 1}
    assert mail_server.to(gone) == []
    failed = OutboxMessage.objects.get(to=gone)
    assert (failed.status, failed.refusals) == (OutboxStatus.FAILED, 3)


WEB_WITH_REDIS_DOWN = """
import json, time
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
outcome = {}
started = time.monotonic()
signed_in = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
outcome["sign_in"] = [signed_in.status_code, signed_in.get("Location", "")]
outcome["page"] = client.get(PAGE).status_code
requested = client.post(REQUEST, {"kind": "summary"}, follow=True)
outcome["report"] = [requested.status_code, "could not be queued" in requested.content.decode()]
invited = client.post(MEMBERS, {"email": "newcomer@example.test", "role": "member"})
outcome["invite"] = invited.status_code
outcome["health"] = client.get("/health/", HTTP_ACCEPT="application/json").json()
outcome["seconds"] = time.monotonic() - started
print("OUTCOME " + json.dumps(outcome))
"""


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_web_app_signs_in_serves_pages_and_says_a_report_cannot_be_queued(
    services, tmp_path
):
    org = factories.OrganisationFactory()
    admin = factories.member(org, role=OrgRole.ADMIN, email="lead@example.test")
    # The web process has production's password hashers, not the tests' fast one.
    admin.password = PBKDF2PasswordHasher().encode(factories.PASSWORD, "saltsaltsalt")
    admin.save()
    programme = factories.programme(org, coordinator=admin)
    from programmes.services import programme_member_add

    programme_member_add(programme=programme, user=admin, role="executive")
    script = WEB_WITH_REDIS_DOWN.replace("EMAIL", repr(admin.email)).replace(
        "PASSWORD", repr(factories.PASSWORD)
    )
    script = script.replace(
        "PAGE", repr(reverse("programmes:timeline", args=[org.slug, programme.pk]))
    )
    script = script.replace(
        "REQUEST", repr(reverse("reports:request", args=[org.slug, programme.pk]))
    )
    script = script.replace("MEMBERS", repr(reverse("members", args=[org.slug])))
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    result = run_python(script, web_process_env(tmp_path, REDIS_URL=nothing_listens))
    lines = result.stdout.splitlines()
    line = next((text for text in lines if text.startswith("OUTCOME ")), None)
    assert line, result.stdout[-2000:] + result.stderr[-4000:]
    outcome = json.loads(line.removeprefix("OUTCOME "))
    assert outcome["sign_in"][0] == 302 and "/login" not in outcome["sign_in"][1]
    assert outcome["page"] == 200
    assert outcome["report"] == [200, True]  # told at once, on the page it lands on
    assert outcome["invite"] == 302
    assert outcome["seconds"] < 15, json.dumps(outcome)  # no request waited on the broker
    assert outcome["health"]["CacheServer()"].startswith("Unavailable")
    assert outcome["health"]["Broker()"].startswith("Unavailable")
    report = ProgrammeReport.objects.get(programme=programme)
    assert (report.status, report.failure) == ("failed", "not_queued")  # nothing left pending
    assert OutboxMessage.objects.filter(to="newcomer@example.test").exists()  # sent once back
    assert "Redis cache unreachable" in result.stderr  # the fallback said so in the log
