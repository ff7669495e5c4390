"""The analysis of themes goes out once, a set number of days before a combined session, to
everyone invited and the facilitator: what it says, that it locks the themes in it, and its PDF
rendered by the worker for those who may download it."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import Box, TextBox

from notifications.registry import SweepContext, sweep_jobs
from programmes.models import GroupSession
from reports.analysis import theme_analysis_html
from reports.models import ProgrammeReport, ReportStatus
from supervision.models import Attendance, GroupSupervision
from themes.models import Theme, ThemeAnalysis
from themes.services import (
    action_add,
    agenda_item_add,
    analysis_content,
    analysis_send,
    issue_open,
    lead_confirm,
    lead_offer,
)
from themes.services.analysis import GUIDING_QUESTIONS

from ..mailbox import delivered
from ..urls import programme_url
from .conftest import DRAFT_WORDS, draft, grouped, new_pair, shared


def sweep(programme, now=None) -> int:
    """The sweep's job for the analyses, as the sweep runs it: inside the organisation's scope."""
    org = programme.organisation
    with scope(organisation=org):
        return sweep_jobs()["theme-analyses"].run(SweepContext(org, now or timezone.now()))


def today(programme):
    return SweepContext(programme.organisation, timezone.now()).today


def held_in(session, days: int) -> GroupSession:
    """The session is `days` from today; every other session of its programme far later."""
    day = today(session.programme)
    sessions = GroupSession.objects.filter(programme=session.programme)
    sessions.exclude(pk=session.pk).update(date=day + timedelta(days=365))
    sessions.filter(pk=session.pk).update(date=day + timedelta(days))
    session.refresh_from_db()
    return session


@pytest.mark.django_db
def test_it_goes_out_seven_days_ahead_by_default_once_however_often_the_sweep_runs(
    programme, facilitated
):
    held_in(facilitated, 8)
    assert sweep(programme) == 0 and not ThemeAnalysis.objects.exists()
    held_in(facilitated, 7)
    assert sweep(programme) == 1
    assert sweep(programme) == 0
    assert ThemeAnalysis.objects.filter(session=facilitated).count() == 1


@pytest.mark.django_db
def test_the_days_ahead_are_the_sessions_own(programme, facilitated):
    GroupSupervision.objects.filter(session=facilitated).update(analysis_days_ahead=14)
    held_in(facilitated, 15)
    assert sweep(programme) == 0
    held_in(facilitated, 14)
    assert sweep(programme) == 1


@pytest.mark.django_db
def test_a_session_without_a_facilitator_yet_goes_out_seven_days_ahead(programme, session, pair):
    held_in(session, 7)
    assert sweep(programme) == 1
    assert Attendance.objects.filter(session=session).count() == 2  # the pair was invited


@pytest.mark.django_db
def test_every_invited_participant_and_the_facilitator_receive_it_once(
    programme, people, pair, other_pair, facilitated
):
    held_in(facilitated, 7)
    grouped(programme, "Unrecorded calibration", shared(pair), shared(other_pair))
    sweep(programme)
    sweep(programme)
    mails = delivered()
    expected = {
        pair.senior.user.email,
        pair.junior.user.email,
        other_pair.senior.user.email,
        other_pair.junior.user.email,
        people["supervisor"].email,
    }
    assert sorted(to for mail in mails for to in mail.to) == sorted(expected)
    first = mails[0]
    assert "the analysis of themes for First combined group session on" in first.subject
    assert "Unrecorded calibration: 2 pairs" in first.body
    link = programme_url("themes:analysis", programme, facilitated.pk)
    assert link in first.body
    assert first.alternatives  # an HTML part too
    assert len(delivered()) == len(expected)  # nothing more on another delivery


@pytest.mark.django_db
def test_it_ranks_the_recurring_themes_by_pairs_and_counts_never_names_them(
    programme, pair, other_pair, facilitated
):
    third = new_pair(programme)
    grouped(programme, "Raised by one", shared(pair, "A", quick_win=True))
    grouped(programme, "Raised by three", shared(pair, "B"), shared(other_pair), shared(third))
    shared(third, "Not grouped yet")
    content = analysis_content(facilitated, timezone.now())
    ranked = [(t["title"], t["pairs"], t["quick_wins"]) for t in content["recurring"]]
    assert ranked == [("Raised by three", 3, 0), ("Raised by one", 1, 1)]
    assert content["ungrouped"] == 1
    assert content["questions"] == list(GUIDING_QUESTIONS) and len(GUIDING_QUESTIONS) == 8
    assert content["ground_rules"] == GroupSupervision.objects.get(session=facilitated).ground_rules
    flat = repr(content)
    for someone in (pair, other_pair, third):
        assert someone.senior.full_name not in flat and someone.junior.full_name not in flat


@pytest.mark.django_db
def test_it_carries_the_agenda_with_its_leads_and_the_sessions_ground_rules(
    programme, pair, facilitated
):
    GroupSupervision.objects.filter(session=facilitated).update(ground_rules="Chatham House.")
    recurring = grouped(programme, "Calibration", shared(pair))
    item = agenda_item_add(session=facilitated, recurring=recurring)
    lead_offer(item=item, user=pair.junior.user)
    lead_confirm(item=item, user=pair.junior.user)
    content = analysis_content(facilitated, timezone.now())
    assert content["agenda"] == [{"title": "Calibration", "lead": str(pair.junior.user)}]
    assert content["ground_rules"] == "Chatham House."
    assert content["issues"] == []  # the first session comes before any register


@pytest.mark.django_db
def test_a_later_session_lists_the_open_issues_and_what_is_new_since_the_last_analysis(
    programme, people, pair, other_pair, facilitated
):
    old = grouped(programme, "Old news", shared(pair, "Old"), shared(other_pair, "Old too"))
    Theme.objects.update(shared_at=timezone.now() - timedelta(days=30))
    analysis_send(session=facilitated, now=timezone.now() - timedelta(days=20))
    later = GroupSession.objects.get(programme=programme, sequence=2)
    fresh = grouped(programme, "Fresh", shared(pair, "New"), shared(other_pair, "New too"))
    issue = issue_open(
        programme=programme,
        by=people["coordinator"],
        values={
            "title": "Calibration unrecorded",
            "description": "",
            "system": "promotion",
            "data_gaps": "",
            "owner": people["steering"],
        },
        recurring=[old, fresh],
    )
    action_add(
        issue=issue,
        values={
            "text": "Minute calibration",
            "owner": people["senior"],
            "due": timezone.localdate() + timedelta(days=9),
            "quick_win": True,
        },
    )
    content = analysis_content(later, timezone.now())
    new = {t["title"]: t["new"] for t in content["recurring"]}
    assert new == {"Old news": False, "Fresh": True}
    assert content["since"] is not None
    (listed,) = content["issues"]
    assert listed["title"] == "Calibration unrecorded"
    actions = [(a["text"], a["quick_win"]) for a in listed["actions"]]
    assert actions == [("Minute calibration", True)]


@pytest.mark.django_db
def test_sending_it_locks_the_shared_themes_and_leaves_drafts_and_later_ones_open(
    programme, pair, facilitated
):
    before = shared(pair, "Before")
    waiting = draft(pair, "Draft", noticed=DRAFT_WORDS)
    analysis_send(session=facilitated, now=timezone.now())
    after = shared(pair, "After")
    locked = dict(Theme.objects.values_list("pk", "locked_at"))
    assert locked[before.pk] is not None
    assert locked[waiting.pk] is None and locked[after.pk] is None
    assert analysis_send(session=facilitated, now=timezone.now()) is None  # once only
    assert ThemeAnalysis.objects.count() == 1


@pytest.mark.django_db
def test_no_draft_goes_into_it(programme, pair, facilitated):
    draft(pair, "Our secret title", noticed=DRAFT_WORDS)
    analysis_send(session=facilitated, now=timezone.now())
    analysis = ThemeAnalysis.objects.get()
    assert DRAFT_WORDS not in repr(analysis.content) and "Our secret title" not in repr(
        analysis.content
    )
    for mail in delivered():
        assert DRAFT_WORDS not in mail.body + mail.subject and "Our secret" not in mail.subject


@pytest.mark.django_db
def test_the_worker_renders_its_pdf_for_those_it_went_to(
    client, programme, people, pair, facilitated, django_capture_on_commit_callbacks
):
    grouped(programme, "Unrecorded calibration", shared(pair), shared(new_pair(programme)))
    with django_capture_on_commit_callbacks(execute=True):
        analysis_send(session=facilitated, now=timezone.now())
    report = ProgrammeReport.objects.get(group_session=facilitated)
    assert report.status == ReportStatus.READY
    pdf_url = programme_url("reports:analysis_pdf", programme, facilitated.pk)
    client.force_login(pair.junior.user)
    page = client.get(programme_url("themes:analysis", programme, facilitated.pk))
    assert page.status_code == 200 and pdf_url in page.content.decode()
    download = client.get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Unrecorded calibration" in text and "Who is not included but should be?" in text
    for who in ("coordinator", "supervisor"):
        client.force_login(people[who])
        assert client.get(pdf_url).status_code == 200, who
    for who in ("steering", "executive", "org_admin"):
        client.force_login(people[who])
        assert client.get(pdf_url).status_code == 404, who
        analysis_page = client.get(programme_url("themes:analysis", programme, facilitated.pk))
        assert analysis_page.status_code == 404, who
    client.force_login(people["outsider"])
    assert client.get(pdf_url).status_code == 404


@pytest.mark.django_db
def test_its_pdf_keeps_the_words_meant_for_screen_readers_off_the_page(
    programme, pair, facilitated, django_capture_on_commit_callbacks
):
    """The analysis shares its body with the page, whose table has a caption for screen readers
    alone; the PDF once printed it above the table as a stray line."""
    grouped(programme, "Unrecorded calibration", shared(pair), shared(new_pair(programme)))
    with django_capture_on_commit_callbacks(execute=True):
        analysis_send(session=facilitated, now=timezone.now())
    html = theme_analysis_html(ProgrammeReport.objects.get(group_session=facilitated))
    assert 'class="visually-hidden"' in html
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").render()
    hidden = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if box.element is not None
        and "visually-hidden" in (box.element.get("class") or "").split()
        and box.element_tag == "caption"
    ]
    assert hidden
    assert all(box.border_width() <= 1 and box.border_height() <= 1 for box in hidden)


@pytest.mark.django_db
def test_its_pdf_sets_the_counts_against_the_right_of_their_columns(
    programme, pair, facilitated, django_capture_on_commit_callbacks
):
    """The number of pairs and of quick-win candidates line up by their last digit, in the PDF as
    on the page (the PDF's stylesheet is its own, without Bootstrap)."""
    grouped(programme, "Unrecorded calibration", shared(pair), shared(new_pair(programme)))
    with django_capture_on_commit_callbacks(execute=True):
        analysis_send(session=facilitated, now=timezone.now())
    html = theme_analysis_html(ProgrammeReport.objects.get(group_session=facilitated))
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").render()
    row = next(
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if box.element_tag == "tr" and box.element.get("data-testid") == "analysis-theme"
    )
    title_cell, _, pairs_cell, quick_wins_cell, _ = row.children
    assert [text_in(pairs_cell).text, text_in(quick_wins_cell).text] == ["2", "0"]
    for cell in (pairs_cell, quick_wins_cell):
        text = text_in(cell)
        assert cell.content_box_x() + cell.width - (text.position_x + text.width) < 1
    title = text_in(title_cell)  # words still start at the left
    assert title.position_x - title_cell.content_box_x() < 1


def text_in(cell: Box) -> TextBox:
    return next(box for box in cell.descendants() if isinstance(box, TextBox))
