"""The programme's navigation: a few sections by the programme's life, each role seeing only the
sections it has pages in, and the current section's pages under them."""

import pytest

from organisations.roles import Role
from programmes.navigation import programme_nav
from programmes.permissions import REVIEWER_PERMISSIONS, ROLE_PERMISSIONS
from tests.pages import page_text

from ..urls import programme_url


def nav_for(role: str, tab: str, roles: frozenset[str] | None = None):
    return programme_nav(
        perms=ROLE_PERMISSIONS[Role(role)],
        roles=roles if roles is not None else frozenset({role}),
        tab=tab,
        org_slug="acme",
        programme_id=7,
    )


def labels(links) -> list[str]:
    return [link.label for link in links]


def test_a_coordinator_has_five_sections_and_the_current_one_s_pages():
    nav = nav_for("coordinator", "matching")
    assert labels(nav.groups) == [
        "The programme",
        "People and matching",
        "Relationships",
        "Change",
        "Evaluation",
    ]
    assert [group.label for group in nav.groups if group.current] == ["People and matching"]
    assert labels(nav.pages) == ["People", "Candidates", "Matching"]  # no second candidates list
    assert [page.label for page in nav.pages if page.current] == ["Matching"]
    assert nav.groups[0].url == "/o/acme/programmes/7/home/"  # a section opens at its first page


def test_a_participant_sees_their_partnership_themes_and_surveys_and_no_set_up():
    nav = nav_for("participant", "themes")
    assert labels(nav.groups) == ["The programme", "Relationships", "Change", "Evaluation"]
    assert labels(nav.pages) == ["Our themes", "Systemic issues"]
    programme = nav_for("participant", "timeline")
    assert labels(programme.pages) == [
        "Home",
        "Timeline",
        "Ethics",
        "Training",
        "Resources",
        "Calendar",
    ]
    assert labels(nav_for("participant", "me").pages) == ["My profile and partner", "Supervision"]


def test_each_role_finds_its_own_supervision_page():
    urls = {
        role: next(page.url for page in nav_for(role, "supervision").pages if page.current)
        for role in ("coordinator", "supervisor", "participant")
    }
    assert urls == {
        "coordinator": "/o/acme/programmes/7/supervision/triage/",
        "supervisor": "/o/acme/programmes/7/supervision/cases/",
        "participant": "/o/acme/programmes/7/supervision/mine/",
    }


def test_a_steering_member_who_is_also_a_participant_sees_both_sets_of_pages():
    both = programme_nav(
        perms=ROLE_PERMISSIONS[Role.STEERING] | ROLE_PERMISSIONS[Role.PARTICIPANT],
        roles=frozenset({"steering", "participant"}),
        tab="my_pairs",
        org_slug="acme",
        programme_id=7,
    )
    assert labels(both.pages) == ["My profile and partner", "My pairs", "Supervision"]


def test_a_steering_member_asked_to_review_candidates_finds_them():
    nav = programme_nav(
        perms=ROLE_PERMISSIONS[Role.STEERING] | REVIEWER_PERMISSIONS,
        roles=frozenset({"steering"}),
        tab="review",
        org_slug="acme",
        programme_id=7,
    )
    assert labels(nav.pages) == ["Review candidates"]
    assert labels(nav.groups) == [
        "The programme",
        "People and matching",
        "Relationships",
        "Change",
        "Evaluation",
    ]


@pytest.mark.django_db
def test_the_page_shows_the_sections_and_marks_where_the_person_is(client, programme, people):
    client.force_login(people["coordinator"])
    text = page_text(client.get(programme_url("pairs:matching", programme)))
    assert "The programme People and matching Relationships Change Evaluation" in text
    assert "People Candidates Matching" in text
    html = client.get(programme_url("pairs:matching", programme)).content.decode()
    assert 'aria-current="page" href="/o/' in html and ">Matching</a>" in html
