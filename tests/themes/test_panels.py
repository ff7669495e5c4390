"""What themes adds to other apps' pages: the pair's line of themes on a partner's page, and a
combined session's agenda (with the open issues at a stage 9 session) for those it concerns."""

import html
import re

import pytest

from programmes.models import GroupSession
from supervision.services import group_facilitation_set
from themes.services import issue_close

from ..urls import programme_url
from .conftest import draft, grouped, shared
from .test_register import add_action, open_issue


def page_text(content: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", content).split()))


@pytest.mark.django_db
def test_a_partners_page_counts_the_pairs_drafts_and_shared_themes(client, programme, pair):
    draft(pair, "One")
    draft(pair, "Two")
    shared(pair, "Three")
    client.force_login(pair.junior.user)
    page = client.get(programme_url("pairs:my_pair", programme)).content.decode()
    assert "Your pair's drafts: 2 · shared with the cohort: 1." in page_text(page)
    assert "?source=peers" in page  # topics from my peers, from the partner's page
    assert 'data-testid="theme-prompt"' not in page  # no meeting logged yet


@pytest.mark.django_db
def test_the_agenda_shows_to_the_invited_and_those_who_run_the_session_only(
    client, programme, people, facilitated
):
    url = programme_url("supervision:group_session", programme, facilitated.pk)
    for who, sees in (
        ("coordinator", True),
        ("supervisor", True),  # the facilitator
        ("senior", True),  # invited
        ("steering", False),
        ("executive", False),
    ):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert ('data-testid="session-agenda"' in response.content.decode()) is sees, who


@pytest.mark.django_db
def test_a_stage_9_session_lists_the_open_issues_with_their_actions(
    client, programme, people, pair, other_pair
):
    later = GroupSession.objects.get(programme=programme, sequence=2)
    assert later.stage_number == 9
    group_facilitation_set(session=later, facilitator=None, external_facilitator="Ada")
    recurring = grouped(programme, "Calibration", shared(pair), shared(other_pair))
    open_one = open_issue(programme, people["coordinator"], recurring, title="Still open")
    add_action(open_one, people["senior"], text="Minute it")
    closed = open_issue(programme, people["coordinator"], recurring, title="Settled one")
    issue_close(issue=closed, by=people["coordinator"], note="Done")
    client.force_login(pair.junior.user)
    page = client.get(programme_url("supervision:group_session", programme, later.pk))
    body = page.content.decode()
    assert body.count('data-testid="session-issue"') == 1
    text = page_text(body)
    assert "Still open" in text and "Minute it · " in text and "· not started" in text
    assert "Settled one" not in body
    first = GroupSession.objects.get(programme=programme, sequence=1)
    group_facilitation_set(session=first, facilitator=None, external_facilitator="Ada")
    stage_8 = client.get(programme_url("supervision:group_session", programme, first.pk))
    assert 'data-testid="session-issue"' not in stage_8.content.decode()
