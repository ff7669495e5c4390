import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader

from programmes.models import Stage, StageStatus
from reports.models import ProgrammeReport, ReportStatus

from . import factories


def reports_url(programme) -> str:
    return reverse("reports:list", args=[programme.organisation.slug, programme.pk])


def request_url(programme) -> str:
    return reverse("reports:request", args=[programme.organisation.slug, programme.pk])


def download_url(report) -> str:
    return reverse(
        "reports:download",
        args=[report.organisation.slug, report.programme_id, report.pk],
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def ready_report(client, programme, people, django_capture_on_commit_callbacks):
    client.force_login(people["executive"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(programme))
    report = ProgrammeReport.objects.get(programme=programme)
    assert response["Location"] == reverse(
        "reports:detail", args=[programme.organisation.slug, programme.pk, report.pk]
    )
    return report


@pytest.mark.django_db
def test_executive_requests_a_summary_rendered_by_the_task_and_downloads_it(
    client, programme, ready_report
):
    Stage.objects.filter(programme=programme, number=1).update(status=StageStatus.DONE)
    ready_report.refresh_from_db()
    assert ready_report.status == ReportStatus.READY
    assert ready_report.page_count >= 1
    response = client.get(download_url(ready_report))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content))
    assert programme.name in text
    assert "Commissioning" in text and "Programme evaluation" in text
    assert programme.organisation.name.upper() in text.upper()


@pytest.mark.django_db
def test_the_report_page_shows_progress_then_the_download(client, programme, people):
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=people["executive"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    page = reverse("reports:detail", args=[programme.organisation.slug, programme.pk, report.pk])
    client.force_login(people["executive"])
    pending = client.get(page).content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Preparing" in pending
    assert client.get(download_url(report)).status_code == 404
    report.status = ReportStatus.READY
    report.save()
    partial = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "hx-trigger" not in partial


@pytest.mark.django_db
def test_every_download_checks_membership_and_role(client, programme, people, ready_report):
    url = download_url(ready_report)
    for who in ["coordinator", "executive", "org_admin"]:
        client.force_login(people[who])
        assert client.get(url).status_code == 200, who
    for who in ["steering", "senior", "junior", "supervisor", "no_role"]:
        client.force_login(people[who])
        assert client.get(url).status_code == 403, who
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_an_expired_report_is_no_longer_downloadable(client, people, ready_report):
    ready_report.expires_at = timezone.now() - timedelta(minutes=1)
    ready_report.save()
    client.force_login(people["executive"])
    assert client.get(download_url(ready_report)).status_code == 404


@pytest.mark.django_db
def test_a_report_of_another_programme_is_not_found_through_this_one(
    client, org, programme, people, ready_report
):
    other = factories.programme(org, coordinator=people["coordinator"])
    client.force_login(people["coordinator"])
    url = reverse("reports:download", args=[org.slug, other.pk, ready_report.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_web_request_only_records_the_request(
    client, programme, people, django_capture_on_commit_callbacks
):
    """Rendering is queued for after commit, never done inside the request itself."""
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(request_url(programme))
    report = ProgrammeReport.objects.get(programme=programme)
    assert report.status == ReportStatus.PENDING and not report.file
    assert len(callbacks) == 1


def pending_report(programme, people, **fields) -> ProgrammeReport:
    return ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=people["executive"],
        expires_at=timezone.now() + timedelta(days=1),
        queued_at=timezone.now(),
        **fields,
    )


def stored_files(report) -> list[str]:
    storage = report.file.storage
    folder = f"reports/{report.organisation_id}/{report.programme_id}"
    return sorted(storage.listdir(folder)[1]) if storage.exists(folder) else []


@pytest.mark.django_db
def test_a_render_delivered_again_replaces_its_file_and_a_finished_one_is_left_alone(
    programme, people
):
    from reports.tasks import render_report

    report = pending_report(programme, people)
    storage, folder = report.file.storage, f"reports/{report.organisation_id}/{report.programme_id}"
    for leftover in stored_files(report):  # ids repeat across tests; the media folder does not
        storage.delete(f"{folder}/{leftover}")
    # A first delivery wrote the PDF and was killed before recording it.
    storage.save(f"{folder}/summary-{report.pk}.pdf", io.BytesIO(b"half"))
    render_report(report.pk)  # delivered again
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.READY, 1)
    assert stored_files(report) == [f"summary-{report.pk}.pdf"]  # replaced, no orphan
    assert report.file.read().startswith(b"%PDF")
    render_report(report.pk)  # and once more after it finished: nothing happens
    report.refresh_from_db()
    assert report.attempts == 1 and stored_files(report) == [f"summary-{report.pk}.pdf"]


@pytest.mark.django_db
def test_a_render_killed_again_and_again_stops_with_a_message(client, programme, people):
    from reports.tasks import render_report

    report = pending_report(programme, people, attempts=3)  # three deliveries died mid-way
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.failure == "gave_up"
    client.force_login(people["executive"])
    page = client.get(
        reverse("reports:detail", args=[programme.organisation.slug, programme.pk, report.pk])
    ).content.decode()
    assert "interrupted again and again" in page and "hx-trigger" not in page
    assert "Try again" in page


@pytest.mark.django_db
def test_a_report_lost_on_the_way_is_queued_again_by_the_sweep_then_given_up_on(
    programme, people, settings, django_capture_on_commit_callbacks
):
    from notifications.services import organisation_sweep

    org = programme.organisation
    lost = pending_report(programme, people)
    ProgrammeReport.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    )
    hopeless = pending_report(programme, people, attempts=3)
    ProgrammeReport.objects.filter(pk=hopeless.pk).update(
        queued_at=timezone.now() - timedelta(hours=1)
    )
    fresh = pending_report(programme, people)
    with scope(organisation=org), django_capture_on_commit_callbacks(execute=True):
        organisation_sweep(organisation=org, now=timezone.now())  # eager: it renders at once
    statuses = {r.pk: (r.status, r.failure) for r in ProgrammeReport.objects.all()}
    assert statuses[lost.pk] == (ReportStatus.READY, "")
    assert statuses[hopeless.pk] == (ReportStatus.FAILED, "gave_up")
    assert statuses[fresh.pk] == (ReportStatus.PENDING, "")  # still within a render's time


@pytest.mark.django_db
def test_the_report_page_stops_polling_after_a_while_and_says_why(
    client, programme, people, settings
):
    report = pending_report(programme, people)
    ProgrammeReport.objects.filter(pk=report.pk).update(
        queued_at=timezone.now() - timedelta(seconds=settings.REPORT_POLL_SECONDS + 1)
    )
    client.force_login(people["executive"])
    page = client.get(
        reverse("reports:detail", args=[programme.organisation.slug, programme.pk, report.pk])
    ).content.decode()
    assert "hx-trigger" not in page
    assert "taking much longer than it should" in page
