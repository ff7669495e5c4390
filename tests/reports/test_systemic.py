"""The evaluation report's systemic chapter: recurring themes by how many pairs raised them
(fewer than the threshold shown as such), the register's issues and actions, and its story."""

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from reports.evaluation import evaluation_html
from reports.evaluation.systemic import systemic
from tests import factories
from themes.services import (
    action_add,
    action_update,
    issue_open,
    recurring_create,
    theme_add,
    theme_agree,
    theme_regroup,
)

pytestmark = [pytest.mark.django_db]

TODAY = date(2027, 3, 1)


@pytest.fixture
def programme():
    with scopes_disabled():
        organisation = factories.OrganisationFactory()
        coordinator = factories.member(organisation, full_name="Chidi Coordinator")
        programme = factories.programme(organisation, coordinator=coordinator)
        programme.coordinator = coordinator
        yield programme


def _pairs(programme, count: int) -> list:
    pairs = []
    for n in range(count):
        senior = factories.member(programme.organisation, full_name=f"Senior {n}")
        junior = factories.member(programme.organisation, full_name=f"Junior {n}")
        pairs.append(factories.publish_pair(programme, senior, junior, programme.coordinator))
    return pairs


def _shared(pair, title: str, *, named: bool = False, quick_win: bool = False):
    theme = theme_add(
        pair=pair,
        by=pair.junior.user,
        values={
            "title": title,
            "noticed": f"Noticed: {title}",
            "system": "promotion",
            "quick_win": quick_win,
        },
    )
    for profile in (pair.senior, pair.junior):
        theme_agree(theme=theme, by=profile.user, with_names=named)
    theme.refresh_from_db()
    return theme


def _recurring(programme, title: str, themes: list):
    return recurring_create(programme=programme, title=title, system="promotion", themes=themes)


def test_no_chapter_when_nothing_was_shared_and_the_register_is_empty(programme):
    pair = _pairs(programme, 1)[0]
    theme_add(
        pair=pair,
        by=pair.junior.user,
        values={
            "title": "Draft only",
            "noticed": "A draft",
            "system": "culture",
            "quick_win": False,
        },
    )
    assert systemic(programme, TODAY) is None
    assert "Systemic change" not in evaluation_html(programme)


def test_recurring_themes_count_pairs_and_hide_counts_below_the_threshold(programme):
    pairs = _pairs(programme, 6)
    wide = _recurring(
        programme, "Unrecorded calibration", [_shared(p, "Calibration") for p in pairs[:5]]
    )
    _recurring(programme, "Zebra crossings", [_shared(p, "Crossings") for p in pairs[:2]])
    _recurring(programme, "Absence rules", [_shared(p, "Absence") for p in pairs[2:4]])
    # Two themes from one pair count that pair once.
    wide_again = _shared(pairs[0], "Calibration again")
    _recurring(programme, "ignored", [wide_again])
    theme_regroup(theme=wide_again, recurring=wide)

    figures = systemic(programme, TODAY)

    assert figures.threshold == 5
    assert [(row.title, row.pairs) for row in figures.recurring] == [
        ("Unrecorded calibration", 5),
        ("Absence rules", None),
        ("Zebra crossings", None),
    ]
    assert figures.shared_themes == 10
    assert figures.pairs_sharing == 5


def test_the_register_in_the_chapter_with_done_remaining_and_overdue_actions(programme):
    pairs = _pairs(programme, 2)
    recurring = _recurring(programme, "Calibration", [_shared(p, "Calibration") for p in pairs])
    owner = pairs[0].senior.user
    issue = issue_open(
        programme=programme,
        by=programme.coordinator,
        values={
            "title": "Calibration goes unrecorded",
            "description": "",
            "system": "promotion",
            "data_gaps": "Scores before and after calibration",
            "owner": owner,
        },
        recurring=[recurring],
    )
    done = action_add(
        issue=issue,
        values={"text": "Record changes", "owner": owner, "due": TODAY, "quick_win": True},
    )
    action_update(action=done, by=owner, status="done", note="")
    action_add(
        issue=issue,
        values={
            "text": "Ask HR",
            "owner": owner,
            "due": TODAY - timedelta(days=1),
            "quick_win": False,
        },
    )
    action_add(
        issue=issue,
        values={
            "text": "Train panels",
            "owner": owner,
            "due": TODAY + timedelta(days=9),
            "quick_win": False,
        },
    )

    figures = systemic(programme, TODAY)

    (row,) = figures.issues
    assert [action.text for action in row.done] == ["Record changes"]
    assert [(action.text, action.overdue) for action in row.remaining] == [
        ("Ask HR", True),
        ("Train panels", False),
    ]
    assert row.pairs is None  # two pairs, below the threshold
    assert (figures.actions, figures.actions_done, figures.quick_wins_done) == (3, 1, 1)
    assert (figures.open_actions, figures.overdue_actions) == (2, 1)
    assert figures.story[-1] == (
        "1 systemic issue was identified (1 still open), with 3 actions: 1 done (1 of them a "
        "quick win) and 2 still to do, 1 of them overdue."
    )


def test_the_chapter_names_no_pair_and_says_how_counts_are_hidden(programme):
    pairs = _pairs(programme, 2)
    _recurring(programme, "Calibration", [_shared(p, "Calibration", named=True) for p in pairs])

    html = evaluation_html(programme)

    chapter = html[html.index("Systemic change</h2>") :]
    assert "Calibration" in chapter
    assert "fewer than 5" in chapter
    for pair in pairs:
        assert pair.senior.user.full_name not in chapter
        assert pair.junior.user.full_name not in chapter
    assert "Noticed: Calibration" not in html  # what a pair noticed stays with the cohort
    assert "The pairs shared 2 themes with the cohort, from fewer than 5 pairs." in chapter


def test_themes_shared_but_no_issue_yet(programme):
    pairs = _pairs(programme, 1)
    _shared(pairs[0], "Calibration")
    figures = systemic(programme, TODAY)
    assert figures.story == [
        "The pairs shared 1 theme with the cohort, from fewer than 5 pairs.",
        "No systemic issue has been opened in the register yet.",
    ]
