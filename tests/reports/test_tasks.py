"""The render task: delivered again, killed, or lost on the way, a report still ends ready
or failed, and its page says which."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from reports.models import ProgrammeReport, ReportStatus

from ..urls import programme_url


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
    page = client.get(programme_url("reports:detail", programme, report.pk)).content.decode()
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
    page = client.get(programme_url("reports:detail", programme, report.pk)).content.decode()
    assert "hx-trigger" not in page
    assert "taking much longer than it should" in page
