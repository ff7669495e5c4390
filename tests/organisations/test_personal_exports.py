"""A person's own data, exported: asked for from their page (or by a coordinator on their
behalf), built by the worker into a ZIP of JSON with a readable index, downloadable by them
alone until it expires."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import AuditAction, AuditEntry, PersonalExport, PersonalExportStatus
from pairs.models import Profile
from pairs.services import concern_raise, diversity_answers_give

from ..factories import log_meeting
from ..mailbox import delivered, link_in
from ..urls import programme_url

REFLECTION = "What I think about my partner, for me alone"
CONCERN = "Something I told the coordinator in confidence"


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_a_participant_downloads_everything_held_about_them(
    client, programme, people, pair, django_capture_on_commit_callbacks
):
    junior = people["junior"]
    profile = Profile.objects.get(programme=programme, user=junior)
    profile.hoped_learning = "To see how the board decides"
    profile.save()
    diversity_answers_give(profile=profile, answers={"caring": "yes"})
    log_meeting(pair, junior, notes="Our shared notes", reflection=REFLECTION)
    concern_raise(pair=pair, by=junior, text=CONCERN)
    client.force_login(junior)
    my_data = reverse("my_data", args=[programme.organisation.slug])
    assert client.get(my_data).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(my_data)

    export = PersonalExport.objects.get(person=junior)
    assert response["Location"] == reverse(
        "my_data_export", args=[programme.organisation.slug, export.pk]
    )
    assert export.status == PersonalExportStatus.READY  # the worker ran (eagerly, in tests)
    page = client.get(response["Location"]).content.decode()
    download = reverse("my_data_download", args=[programme.organisation.slug, export.pk])
    assert download in page
    archive = zip_of(client.get(download))
    names = set(archive.namelist())
    assert {"index.html", "everything.json", "selection-pairs-and-meetings.json"} <= names
    everything = json.loads(archive.read("everything.json"))
    pairs = everything["Selection, pairs and meetings"]
    assert pairs["Profiles and one-page statements"][0]["hoped_learning"] == (
        "To see how the board decides"
    )
    assert pairs["Diversity answers"][0]["answers"] == {"caring": "yes"}
    assert pairs["Your private reflections"][0]["text"] == REFLECTION
    assert pairs["Concerns you raised"][0]["text"] == CONCERN
    assert pairs["Meetings"][0]["shared_notes"] == "Our shared notes"
    assert everything["Account and membership"]["Your account"][0]["email"] == junior.email
    index = archive.read("index.html").decode()
    assert REFLECTION in index and "<h2>Surveys</h2>" in index
    done = AuditEntry.objects.filter(person=junior).values_list("action", flat=True)
    assert {AuditAction.DATA_EXPORT_REQUESTED, AuditAction.DATA_EXPORT_DOWNLOADED} <= set(done)
    for entry in AuditEntry.objects.all():
        assert REFLECTION not in entry.subject


@pytest.mark.django_db
def test_nobody_else_downloads_it_and_it_expires(
    client, programme, people, pair, django_capture_on_commit_callbacks
):
    junior = people["junior"]
    client.force_login(junior)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("my_data", args=[programme.organisation.slug]))
    export = PersonalExport.objects.get(person=junior)
    slug = programme.organisation.slug
    download = reverse("my_data_download", args=[slug, export.pk])
    for other in ("coordinator", "org_admin", "senior"):
        client.force_login(people[other])
        assert client.get(download).status_code == 404
        assert client.get(reverse("my_data_export", args=[slug, export.pk])).status_code == 404
    PersonalExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(junior)
    assert client.get(download).status_code == 404
    assert (
        "expired" in client.get(reverse("my_data_export", args=[slug, export.pk])).content.decode()
    )


@pytest.mark.django_db
def test_a_coordinator_prepares_it_for_a_person_who_alone_receives_it(
    client, programme, people, pair, django_capture_on_commit_callbacks
):
    junior = people["junior"]
    client.force_login(people["coordinator"])
    url = programme_url("pairs:prepare_data_export", programme, pair.junior_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "They get an e-mail when it is ready" in response.content.decode()
    export = PersonalExport.objects.get(person=junior)
    assert export.requested_by == people["coordinator"]
    [mail] = [m for m in delivered() if m.to == [junior.email] and "ready" in m.subject]
    assert link_in(mail).endswith(reverse("my_data", args=[programme.organisation.slug]))
    assert (
        client.get(
            reverse("my_data_download", args=[programme.organisation.slug, export.pk])
        ).status_code
        == 404
    )
    client.force_login(junior)
    page = client.get(reverse("my_data", args=[programme.organisation.slug])).content.decode()
    assert f"by {people['coordinator']}" in page
