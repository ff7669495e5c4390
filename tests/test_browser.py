"""End to end in the machine's Chromium, as a person would use it."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from programmes.management.commands.seed_demo import DEMO_PASSWORD, PROGRAMME_NAME


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_coordinator_opens_the_timeline_and_downloads_the_summary_pdf(
    browser, live_server, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    page = browser.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("coordinator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("link", name=PROGRAMME_NAME).click()
    assert page.get_by_role("heading", name=PROGRAMME_NAME).is_visible()
    stages = page.locator("ol.timeline > li")
    assert stages.count() == 10
    assert "In progress" in page.locator("#stage-4").inner_text()
    assert "Now at stage 4" in page.content()

    page.get_by_role("link", name="Reports").click()
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
