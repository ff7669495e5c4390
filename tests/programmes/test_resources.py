"""The resource library: what it accepts and who sees each resource."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programmes.models import Resource

from ..urls import programme_url


@pytest.mark.django_db
def test_the_resource_library_checks_files_and_shows_each_person_their_materials(
    client, programme, people, settings
):
    settings.RESOURCE_MAX_BYTES = 1000
    client.force_login(people["coordinator"])
    exe = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    bad = client.post(
        programme_url("programmes:resources", programme),
        {"title": "Tool", "audience": "everyone", "upload": exe},
    )
    assert "is not a type the library takes" in bad.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 2000, content_type="application/pdf")
    bad = client.post(
        programme_url("programmes:resources", programme),
        {"title": "Big", "audience": "everyone", "upload": big},
    )
    assert "the limit is" in bad.content.decode()
    both = client.post(
        programme_url("programmes:resources", programme),
        {"title": "Neither", "audience": "everyone"},
    )
    assert "Give a link or upload a file" in both.content.decode()

    note = SimpleUploadedFile("briefing.txt", b"Power in the pair", content_type="text/plain")
    client.post(
        programme_url("programmes:resources", programme),
        {"title": "Senior briefing", "audience": "senior", "upload": note},
    )
    client.post(
        programme_url("programmes:resources", programme),
        {"title": "Steering guide", "audience": "steering", "url": "https://example.org/guide"},
    )
    senior_note = Resource.objects.get(title="Senior briefing")
    client.get(
        programme_url("programmes:resources", programme)
    )  # the coordinator reads the confirmation messages

    client.force_login(people["senior"])
    page = client.get(programme_url("programmes:resources", programme)).content.decode()
    assert "Senior briefing" in page and "Steering guide" not in page
    download = client.get(programme_url("programmes:resource_download", programme, senior_note.pk))
    assert b"".join(download.streaming_content) == b"Power in the pair"

    client.force_login(people["junior"])
    page = client.get(programme_url("programmes:resources", programme)).content.decode()
    assert "Senior briefing" not in page
    assert (
        client.get(
            programme_url("programmes:resource_download", programme, senior_note.pk)
        ).status_code
        == 404
    )
    client.force_login(people["steering"])
    assert (
        "Steering guide"
        in client.get(programme_url("programmes:resources", programme)).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "org_admin"])
def test_a_file_with_a_very_long_name_goes_into_the_library(client, programme, people, who):
    client.force_login(people[who])
    long_name = "Briefing for senior partners " + "very " * 60 + "long.pdf"  # 333 characters
    upload = SimpleUploadedFile(long_name, b"%PDF-1.4 briefing", content_type="application/pdf")
    response = client.post(
        programme_url("programmes:resources", programme),
        {"title": "Briefing", "audience": "everyone", "upload": upload},
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Briefing")
    assert len(resource.file_name) <= 200 and resource.file_name.endswith(".pdf")
    assert resource.file_name.startswith("Briefing for senior partners very")
    download = client.get(programme_url("programmes:resource_download", programme, resource.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 briefing"
    assert resource.file_name.encode() in download["Content-Disposition"].encode() or (
        "filename*=" in download["Content-Disposition"]
    )
