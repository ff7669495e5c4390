"""The pairs pages' scripts in the machine's Chromium, under the real Content-Security-Policy."""

import pytest

from organisations.roles import Side
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import Decision
from pairs.services import participant_add

from . import factories
from .test_browser import signed_in_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_suggested_words_follow_the_decision_until_the_coordinator_writes_their_own(
    browser, live_server
):
    org = factories.OrganisationFactory()
    coordinator = factories.member(org, email="coord@words.test")
    programme = factories.programme(org, coordinator=coordinator, name="Words pilot")
    candidate = participant_add(programme=programme, user=factories.member(org), side=Side.JUNIOR)

    def words(decision: str) -> tuple[str, str]:
        subject, body = DEFAULT_DECISION_WORDS[decision]
        return subject.format(programme=programme.name), body.format(programme=programme.name)

    page, console_errors = signed_in_page(
        browser, live_server, "coord@words.test", factories.PASSWORD
    )
    page.goto(
        f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/candidates/{candidate.pk}/"
    )
    form = page.get_by_test_id("decision-form")
    decision, subject, body = (
        form.get_by_label("Decision"),
        form.get_by_label("Subject"),
        form.get_by_label("Body"),
    )
    restore = form.get_by_role("button", name="Use the suggested words")
    assert not form.get_by_role(
        "button", name="Show suggested words for this decision"
    ).is_visible()
    assert (subject.input_value(), body.input_value()) == words(Decision.SELECTED)
    assert not restore.is_visible()

    decision.select_option(Decision.NOT_SELECTED)
    assert (subject.input_value(), body.input_value()) == words(Decision.NOT_SELECTED)

    body.fill("Dear Kim, not this time, but do apply again.")
    decision.select_option(Decision.WAIT_LISTED)
    assert subject.input_value() == words(Decision.NOT_SELECTED)[0]  # their words are kept
    assert body.input_value() == "Dear Kim, not this time, but do apply again."
    assert "Your own words are kept" in form.inner_text()
    restore.click()
    assert (subject.input_value(), body.input_value()) == words(Decision.WAIT_LISTED)
    assert not restore.is_visible()

    form.get_by_role("button", name="Record and e-mail").click()
    assert "wait-listed; e-mail sent" in page.content()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.WAIT_LISTED
    assert console_errors == []
