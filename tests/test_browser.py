"""End to end in the machine's Chromium, as a person would use it: the demo's logins and
pages that must never widen."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.management.commands.seed_demo import (
    DEMO_PASSWORD,
    FINISHED_PROGRAMME_NAME,
    PROGRAMME_NAME,
)
from organisations.roles import OrgRole
from pairs.models import Profile
from pairs.services import matching_run

from . import factories
from .pages import open_programme_page, signed_in_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_coordinator_opens_the_timeline_and_downloads_the_summary_pdf(
    browser, live_server, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    page, console_errors = signed_in_page(
        browser, live_server, "coordinator@example.org", DEMO_PASSWORD
    )

    # Signing in lands on the home of the programme under way; its timeline is one click on.
    assert page.get_by_role("heading", name=PROGRAMME_NAME).is_visible()
    open_programme_page(page, "The programme", "Timeline")
    stages = page.locator("ol.timeline > li")
    assert stages.count() == 10
    assert "Done" in page.locator("#stage-7").inner_text()
    assert "In progress" in page.locator("#stage-8").inner_text()
    assert "Now at stage 8" in page.content()
    assert "First combined group session" in page.locator("#stage-8").inner_text()

    open_programme_page(page, "Evaluation", "Reports")
    page.get_by_role("button", name="Prepare a programme summary (PDF)").click()
    download_link = page.get_by_role("link", name="Download PDF")
    download_link.wait_for(timeout=30_000)  # the page polls until the worker has finished
    with page.expect_download() as download_info:
        download_link.click()
    target = tmp_path / "summary.pdf"
    download_info.value.save_as(target)

    text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
    assert PROGRAMME_NAME in text
    assert "Initial training" in text
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_executive_downloads_the_finished_programmes_evaluation_report(
    browser, live_server, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())  # its commit has the report rendered
    page, console_errors = signed_in_page(
        browser, live_server, "executive@example.org", DEMO_PASSWORD
    )
    # Signing in lands on the programme under way; the finished one is on the organisation's list.
    page.locator("main").get_by_role("link", name="Northwind Group", exact=True).click()
    page.get_by_role("link", name=FINISHED_PROGRAMME_NAME).click()
    open_programme_page(page, "The programme", "Timeline")
    assert "All ten stages are done." in page.content()
    open_programme_page(page, "Evaluation", "Reports")
    row = page.get_by_role("row").filter(has_text="Evaluation report")
    assert "Ready" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download PDF").click()
    target = tmp_path / "evaluation.pdf"
    download_info.value.save_as(target)
    reader = PdfReader(target)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert FINISHED_PROGRAMME_NAME in text and "Evaluation report" in text
    assert "Reciprocal learning" in text and len(reader.pages) >= 5
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_names_never_widen_a_page(browser, live_server):
    """A 150-character organisation name once made the page 2,603 px wide and pushed the
    account menu off screen."""
    long = "The Very Long Named " + "Regional Health and Social Care Partnership " * 3
    org = factories.OrganisationFactory(name=long[:150])
    admin = factories.member(
        org, role=OrgRole.ADMIN, email="admin@example.test", full_name="Anna " + "Maria " * 24
    )
    factories.programme(org, coordinator=admin, name="Programme " + "with a long name " * 8)
    # Nobody's name yet, so the address stands for it too: one word of 70 characters.
    factories.member(
        org, email="firstnamemiddlenameslastname" + "x" * 30 + "@example.test", full_name=""
    )
    page, console_errors = signed_in_page(browser, live_server, admin.email, factories.PASSWORD)
    for width in (1280, 992, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in (f"/o/{org.slug}/", f"/o/{org.slug}/members/"):
            page.goto(f"{live_server.url}{path}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
            if width < 768:  # the menus fold away behind the toggle on a phone
                page.get_by_role("button", name="Toggle navigation").click()
            menu = page.locator("#account-menu").bounding_box()
            assert menu["x"] + menu["width"] <= width, f"account menu off screen at {width}px"
    assert console_errors == []


# An element's text, in a list, when a line breaks inside one of its words (a letter whose top is
# below the letter before it in the same run of text, neither a space nor after a hyphen); an
# empty list when none does.
WORDS_BROKEN_ACROSS_LINES = """element => {
  const text = element.innerText.trim();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let before = null;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      // Text that is there only for a screen reader sits in a one-pixel box: not a line.
      if (rect.height <= 1) continue;
      const letter = { letter: node.data[i], top: rect.top, height: rect.height };
      const inWord = before && /[^\\s-]/.test(before.letter) && /\\S/.test(letter.letter);
      if (inWord && letter.top > before.top + before.height / 2) return [text];
      before = letter;
    }
  }
  return [];
}"""


def words_broken_in(page, rows, columns: tuple[int, ...]) -> list[str]:
    """The texts of these columns' cells and of the column headings that break inside a word."""
    cells = [row.locator("td").nth(column) for row in rows.all() for column in columns]
    headings = page.get_by_role("columnheader").all()
    found = [cell.evaluate(WORDS_BROKEN_ACROSS_LINES) for cell in cells + headings]
    return [text for texts in found for text in texts]


def a_coordinators_page(browser, live_server, programme, path: str, width: int):
    page, console_errors = signed_in_page(
        browser, live_server, "coord@example.test", factories.PASSWORD
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/o/{programme.organisation.slug}/programmes/{programme.pk}/{path}")
    return page, console_errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_table_keeps_the_words_of_a_name_whole_where_the_page_has_room(browser, live_server):
    """The matching table once showed "Candidat e 0": the page's overflow-wrap, which keeps
    an overlong name from widening the page, also let a table squeeze a column of names to a
    letter's width beside a wide one."""
    org = factories.OrganisationFactory()
    coordinator = factories.member(org, email="coord@example.test")
    programme = factories.programme(org, coordinator=coordinator)
    factories.selected_cohort(programme, 3, 3)
    for n, profile in enumerate(Profile.objects.filter(programme=programme).order_by("pk")):
        profile.full_name = f"Featherstonehaugh {n}"
        profile.department = f"Department of Strategic Workforce Transformation {n % 3}"
        profile.save()
    matching_run(programme=programme)
    page, console_errors = a_coordinators_page(browser, live_server, programme, "matching/", 1280)
    rows = page.get_by_test_id("proposed-pair")
    assert rows.count() == 3
    assert words_broken_in(page, rows, (0, 1)) == []
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_wide_table_scrolls_in_its_box_and_keeps_its_words_whole(browser, live_server):
    """The pairs dashboard's seven columns once fitted a phone by breaking every word
    ("Partici pant", "Ac ti ve"); in its own sideways scroll it keeps them whole."""
    org = factories.OrganisationFactory()
    coordinator = factories.member(org, email="coord@example.test")
    programme = factories.programme(org, coordinator=coordinator)
    for n in range(2):
        senior, junior = (
            factories.member(org, full_name=f"{name} Featherstonehaugh {n}")
            for name in ("Senior", "Junior")
        )
        factories.publish_pair(programme, senior, junior, coordinator)
    page, console_errors = a_coordinators_page(browser, live_server, programme, "pairs/", 390)
    rows = page.get_by_test_id("pair")
    assert rows.count() == 2
    assert words_broken_in(page, rows, (0, 1)) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.locator(".table-responsive").evaluate("box => box.scrollWidth > box.clientWidth")
    assert console_errors == []
