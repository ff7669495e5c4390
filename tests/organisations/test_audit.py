"""The audit log: what is recorded, that it holds no confidential text, that nobody can change
it, and the organisation admin's page that reads and filters it."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.audit import audit_entry_write, audit_sign_in_policy_change
from organisations.models import AuditAction, AuditEntry, AuditEntryIsPermanent
from organisations.roles import Role
from organisations.sign_in import mfa_requirement_set, single_sign_on_save
from pairs.services import concern_raise, selection_note_add
from programmes.services import programme_member_add
from supervision.models import Supervisor

from .. import factories
from ..queries import RequestQueries, writes_in
from ..smtp import free_port
from ..urls import programme_url
from ..workers import run_python, wait_until, web_process_env

CONCERN = "My partner keeps cancelling at the last minute"


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters))


@pytest.mark.django_db
def test_a_coordinator_reading_a_concern_is_recorded_without_its_text(
    client, programme, people, pair
):
    concern = concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    client.force_login(people["coordinator"])
    html = client.get(programme_url("pairs:pair", programme, pair.pk)).content.decode()
    assert CONCERN in html
    [entry] = entries(action=AuditAction.RECORD_READ, subject="concern")
    assert (entry.actor, entry.subject_id, entry.count) == (people["coordinator"], concern.pk, 1)
    assert entry.programme_id == programme.pk
    for field in AuditEntry._meta.get_fields():
        assert CONCERN not in str(getattr(entry, field.name, ""))


@pytest.mark.django_db
def test_a_coordinator_reading_their_own_selection_note_is_not_a_reading_by_another(
    client, programme, people, pair
):
    note_author, other = (
        people["coordinator"],
        factories.programme_person(programme, Role.COORDINATOR),
    )
    selection_note_add(profile=pair.senior, author=note_author, text="Seems keen", red_flag="")
    selection_note_add(profile=pair.senior, author=note_author, text="", red_flag="reluctant")
    client.force_login(note_author)
    client.get(programme_url("pairs:candidate", programme, pair.senior_id))
    assert not entries(action=AuditAction.RECORD_READ)
    client.force_login(other)
    client.get(programme_url("pairs:candidate", programme, pair.senior_id))
    read = {e.subject: e.count for e in entries(action=AuditAction.RECORD_READ, actor=other)}
    assert read == {"red_flag": 1, "selection_note": 1}


@pytest.mark.django_db
def test_matching_runs_role_grants_and_exports_are_recorded(client, programme, people, pair):
    grants = entries(action=AuditAction.ROLE_GRANTED, person=people["supervisor"])
    assert [e.subject for e in grants] == ["role:supervisor"]
    assert entries(action=AuditAction.MATCHING_RUN, programme_id=programme.pk)
    newcomer = factories.member(programme.organisation)
    programme_member_add(
        programme=programme, user=newcomer, role=Role.EXECUTIVE, granted_by=people["coordinator"]
    )
    [grant] = entries(action=AuditAction.ROLE_GRANTED, person=newcomer)
    assert (grant.actor, grant.subject) == (people["coordinator"], "role:executive")
    client.force_login(people["coordinator"])
    assert client.get(programme_url("pairs:export", programme)).status_code == 200
    [download] = entries(action=AuditAction.EXPORT_DOWNLOADED)
    assert (download.actor, download.subject) == (people["coordinator"], "pairs_csv")


@pytest.mark.django_db
def test_an_entry_cannot_be_changed_or_deleted(programme, people):
    entry = AuditEntry.objects.filter(organisation=programme.organisation).first()
    entry.count = 99
    with pytest.raises(AuditEntryIsPermanent):
        entry.save()
    with pytest.raises(AuditEntryIsPermanent):
        entry.delete()
    with pytest.raises(AuditEntryIsPermanent):
        AuditEntry.objects.filter(pk=entry.pk).update(count=99)
    with pytest.raises(AuditEntryIsPermanent):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.count == 1


@pytest.mark.django_db
def test_the_admin_site_shows_entries_but_offers_no_change_or_deletion(client, programme):
    admin_client = client
    admin_client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    entry = AuditEntry.objects.filter(organisation=programme.organisation).first()
    listing = admin_client.get(reverse("admin:organisations_auditentry_changelist"))
    assert listing.status_code == 200
    assert admin_client.get(reverse("admin:organisations_auditentry_add")).status_code == 403
    delete_url = reverse("admin:organisations_auditentry_delete", args=[entry.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_admin_reads_and_filters_the_log_and_nobody_else_does(client, programme, people):
    url = reverse("audit_log", args=[programme.organisation.slug])
    client.force_login(people["coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(people["org_admin"])
    html = client.get(url).content.decode()
    assert "Role granted" in html and programme.name in html
    junior = people["junior"]
    filtered = client.get(url, {"action": "role_granted", "q": junior.email}).content.decode()
    assert filtered.count('data-testid="audit-entry"') == 1
    assert junior.full_name in filtered
    refused = client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
    assert refused.status_code == 400
    assert "The last day cannot come before the first." in refused.content.decode()
    assert 'value="2026-05-02"' in refused.content.decode()


@pytest.mark.django_db
def test_the_log_page_takes_the_same_number_of_queries_for_few_and_many_entries(
    client, programme, people
):
    url = reverse("audit_log", args=[programme.organisation.slug])
    client.force_login(people["org_admin"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(60):
        programme_member_add(
            programme=programme, user=factories.member(programme.organisation), role="executive"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_reading_a_referral_is_recorded_for_the_coordinator_and_the_supervisor(
    client, programme, people, pair
):
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    referral = factories.in_supervision(
        factories.referral(pair, people["junior"], text="Please help", about=people["junior"]),
        coordinator=people["coordinator"],
        supervisor=supervisor,
    )
    for who, page in (("coordinator", "supervision:referral"), ("supervisor", "supervision:case")):
        client.force_login(people[who])
        assert client.get(programme_url(page, programme, referral.pk)).status_code == 200
    readers = {e.actor for e in entries(action=AuditAction.RECORD_READ, subject="referral")}
    assert readers == {people["coordinator"], people["supervisor"]}
    client.force_login(people["junior"])  # whoever raised it reads it without an entry
    client.get(programme_url("supervision:mine", programme))
    assert people["junior"] not in {e.actor for e in entries(action=AuditAction.RECORD_READ)}


@pytest.mark.django_db
def test_a_sign_in_policy_change_is_recorded_by_name_only(programme, people):
    audit_sign_in_policy_change(
        organisation=programme.organisation, actor=people["org_admin"], setting="mfa_required"
    )
    [entry] = entries(action=AuditAction.SIGN_IN_POLICY_CHANGED)
    assert (entry.actor, entry.subject) == (people["org_admin"], "mfa_required")


@pytest.mark.django_db
def test_sign_in_policy_changes_are_recorded_without_a_secret(programme, people):
    organisation = programme.organisation
    admin = people["org_admin"]
    mfa_requirement_set(organisation=organisation, required=True, by=admin)
    single_sign_on_save(
        organisation=organisation,
        by=admin,
        protocol="openid_connect",
        domains=["audit.test"],
        allow_join=False,
        app_settings={"server_url": "https://login.audit.test"},
        client_id="audit-client",
        secret="a-secret-never-logged",
    )
    entries = AuditEntry.objects.filter(
        organisation=organisation, action=AuditAction.SIGN_IN_POLICY_CHANGED
    )
    first = entries.order_by("at", "pk").first()
    assert (first.actor, first.subject) == (admin, "two-factor sign-in required")
    assert entries.count() == 2
    assert not any("a-secret-never-logged" in entry.subject for entry in entries)


# --- Readings are queued: the page writes nothing, a worker writes the entry -----------------


@pytest.mark.django_db
def test_a_reading_is_written_by_the_task_the_page_queued_not_by_the_page(
    client, programme, people, pair
):
    concern = concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    client.force_login(people["coordinator"])
    url = programme_url("pairs:pair", programme, pair.pk)
    client.get(url)
    opened = timezone.now()
    with RequestQueries() as queries:
        assert client.get(url).status_code == 200
    assert queries.request_writes == []
    [written] = queries.task_writes  # INSERT (OR IGNORE on SQLite) ... ON CONFLICT DO NOTHING
    assert '"organisations_auditentry"' in written.split("(")[0]
    latest = AuditEntry.objects.filter(subject="concern").order_by("-at").first()
    assert (latest.actor, latest.subject_id) == (people["coordinator"], concern.pk)
    assert latest.key is not None
    assert opened <= latest.at <= timezone.now()  # when it was read, not when it was written


def queued_entry(programme, actor, **fields) -> dict:
    return {
        "key": uuid.uuid4().hex,
        "at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "organisation_id": programme.organisation_id,
        "actor_id": actor.pk,
        "action": AuditAction.RECORD_READ.value,
        "subject": "concern",
        "subject_id": 7,
        "programme_id": programme.pk,
        "count": 1,
        **fields,
    }


@pytest.mark.django_db
def test_a_queued_entry_delivered_twice_is_written_once(programme, people):
    entry = queued_entry(programme, people["coordinator"])
    audit_entry_write(entry=entry)
    audit_entry_write(entry=entry)
    [written] = entries(key=entry["key"])
    assert (written.actor, written.subject, written.subject_id) == (
        people["coordinator"],
        "concern",
        7,
    )
    assert written.at.isoformat() == entry["at"]


@pytest.mark.django_db
def test_a_queued_entry_outlives_its_reader_but_not_its_organisation(programme, people):
    reader = factories.member(programme.organisation)
    entry = queued_entry(programme, reader)
    reader.delete()  # erased while the entry waited in the queue
    audit_entry_write(entry=entry)
    [kept] = entries(key=entry["key"])
    assert kept.actor is None
    gone = factories.OrganisationFactory()
    audit_entry_write(
        entry={**queued_entry(programme, people["coordinator"]), "organisation_id": gone.pk + 1000}
    )
    assert AuditEntry.objects.filter(organisation_id=gone.pk + 1000).count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_a_real_worker_the_page_writes_nothing_and_the_worker_records_the_reading(
    workers, programme, people, pair
):
    from config.celery import app

    concern = concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    group = workers()
    group.start()
    client = Client()
    client.force_login(people["coordinator"])
    url = programme_url("pairs:pair", programme, pair.pk)
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = group.queue  # what this page queues goes to this worker
    try:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    finally:
        app.conf.task_default_queue = default_queue
    assert writes_in([query["sql"] for query in queries.captured_queries]) == []
    readings = AuditEntry.objects.filter(subject="concern", subject_id=concern.pk)
    assert wait_until(lambda: readings.count() == 2, timeout=60)
    assert {entry.actor for entry in readings} == {people["coordinator"]}


READ_WITH_THE_BROKER_DOWN = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(django.apps.apps.get_model("organisations", "User").objects.get(pk=USER))
print("STATUS", client.get(PAGE).status_code)
"""


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_still_opens_and_writes_the_reading_itself_saying_so(
    services, programme, people, pair, tmp_path
):
    concern = concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    script = READ_WITH_THE_BROKER_DOWN.replace("USER", str(people["coordinator"].pk)).replace(
        "PAGE", repr(programme_url("pairs:pair", programme, pair.pk))
    )
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    result = run_python(script, web_process_env(tmp_path, REDIS_URL=nothing_listens))
    assert "STATUS 200" in result.stdout, result.stdout[-2000:] + result.stderr[-4000:]
    [entry] = entries(subject="concern", subject_id=concern.pk)
    assert entry.actor == people["coordinator"]
    assert f"Audit entry {entry.key.hex} written by the request" in result.stderr
    assert CONCERN not in result.stderr
