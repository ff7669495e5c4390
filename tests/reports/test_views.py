"""Asking for a report, following it and downloading it: only for those who may read it."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from programmes.models import Stage, StageStatus
from reports.models import ProgrammeReport, ReportStatus

from .. import factories
from ..urls import programme_url


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def ready_report(client, programme, people, django_capture_on_commit_callbacks):
    client.force_login(people["executive"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(programme_url("reports:request", programme))
    report = ProgrammeReport.objects.get(programme=programme)
    assert response["Location"] == programme_url("reports:detail", programme, report.pk)
    return report


@pytest.mark.django_db
def test_executive_requests_a_summary_rendered_by_the_task_and_downloads_it(
    client, programme, ready_report
):
    Stage.objects.filter(programme=programme, number=1).update(status=StageStatus.DONE)
    ready_report.refresh_from_db()
    assert ready_report.status == ReportStatus.READY
    assert ready_report.page_count >= 1
    response = client.get(
        programme_url("reports:download", ready_report.programme, ready_report.pk)
    )
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content))
    assert programme.name in text
    assert "Commissioning" in text and "Programme evaluation" in text
    assert programme.organisation.name.upper() in text.upper()


@pytest.mark.django_db
def test_the_web_request_only_records_the_request(
    client, programme, people, django_capture_on_commit_callbacks
):
    """Rendering is queued for after commit, never done inside the request itself."""
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(programme_url("reports:request", programme))
    report = ProgrammeReport.objects.get(programme=programme)
    assert report.status == ReportStatus.PENDING and not report.file
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_report_page_shows_progress_then_the_download(client, programme, people):
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=people["executive"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    page = programme_url("reports:detail", programme, report.pk)
    client.force_login(people["executive"])
    pending = client.get(page).content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Preparing" in pending
    assert (
        client.get(programme_url("reports:download", report.programme, report.pk)).status_code
        == 404
    )
    report.status = ReportStatus.READY
    report.save()
    partial = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "hx-trigger" not in partial


@pytest.mark.django_db
def test_every_download_checks_membership_and_role(client, programme, people, ready_report):
    url = programme_url("reports:download", ready_report.programme, ready_report.pk)
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
    assert (
        client.get(
            programme_url("reports:download", ready_report.programme, ready_report.pk)
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_report_of_another_programme_is_not_found_through_this_one(
    client, org, programme, people, ready_report
):
    other = factories.programme(org, coordinator=people["coordinator"])
    client.force_login(people["coordinator"])
    url = reverse("reports:download", args=[org.slug, other.pk, ready_report.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_reports_list_shows_one_kind_or_one_status(client, programme, people):
    def report(kind: str, status: str) -> ProgrammeReport:
        return ProgrammeReport.objects.create(
            organisation=programme.organisation,
            programme=programme,
            requested_by=people["executive"],
            kind=kind,
            status=status,
            expires_at=timezone.now() + timedelta(days=1),
        )

    evaluation = report("evaluation", ReportStatus.READY)
    summary = report("summary", ReportStatus.READY)
    failed = report("summary", ReportStatus.FAILED)
    client.force_login(people["executive"])
    url = programme_url("reports:list", programme)

    def listed(**query) -> set[int]:
        html = client.get(url, query).content.decode()
        return {r.pk for r in (evaluation, summary, failed) if f'/reports/{r.pk}/"' in html}

    assert listed() == {evaluation.pk, summary.pk, failed.pk}
    assert listed(kind="summary") == {summary.pk, failed.pk}
    assert listed(kind="summary", status="ready") == {summary.pk}
    assert listed(status="failed") == {failed.pk}
    assert (
        "No report matches."
        in client.get(url, {"kind": "evaluation", "status": "failed"}).content.decode()
    )
    assert "Select a valid choice" in client.get(url, {"kind": "theme_analysis"}).content.decode()
    assert listed(kind="theme_analysis") == {evaluation.pk, summary.pk, failed.pk}
