"""Pages as a person reads them: the text of a response, and a browser page signed in."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_text(response) -> str:
    """The page as a reader sees it: tags stripped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def signed_in_page(browser, live_server, email: str, password: str):
    """A new page signed in as `email`, and the list its console errors are collected into."""
    page = browser.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    return page, console_errors


def open_programme_page(page, section: str, name: str) -> None:
    """Go to a programme's page as a person would: its section, then the page within it."""
    sections = page.get_by_role("navigation", name="Programme sections")
    sections.get_by_role("link", name=section, exact=True).click()
    pages = page.get_by_role("navigation", name="Pages of this section")
    pages.get_by_role("link", name=name, exact=True).click()


def queries_for(client, user, url: str) -> int:
    """How many queries the page at `url` costs `user` (it must answer 200)."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
