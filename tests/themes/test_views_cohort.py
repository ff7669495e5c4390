"""The cohort's themes: the coordinator groups them by the pages, the facilitator reads them;
a recurring theme shows how many pairs raised it, never which, and a pair's names show only
where both partners put them."""

import html
import re

import pytest

from organisations.roles import Role
from programmes.services import programme_member_add
from themes.models import GroupingRun, RecurringStatus, RecurringTheme, Theme
from themes.services import theme_agree
from themes.views.common import PAGE_SIZE

from .. import factories
from ..pages import page_text as raw_page_text
from ..urls import programme_url
from .conftest import DRAFT_WORDS, draft, grouped, new_pair, shared
from .test_tasks import CALIBRATION, CALIBRATION_AGAIN, PUB, PUB_AGAIN, share_each

NOTICED = "Scores move after the panel in a meeting with no minutes"


def page_text(response) -> str:
    return html.unescape(raw_page_text(response))


def names_of(pair) -> list[str]:
    return [pair.senior.full_name, pair.junior.full_name]


def named_theme(pair, title: str) -> Theme:
    theme = draft(pair, title)
    for partner in (pair.senior.user, pair.junior.user):
        theme = theme_agree(theme=theme, by=partner, with_names=True)
    return theme


@pytest.mark.django_db
def test_the_coordinator_reads_shared_themes_without_names_unless_the_pair_named_itself(
    client, programme, people, pair, other_pair
):
    shared(pair, "Calibration", noticed=NOTICED)
    draft(pair, "Still ours", noticed=DRAFT_WORDS)
    named_theme(other_pair, "Named one")
    client.force_login(people["coordinator"])
    text = page_text(client.get(programme_url("themes:cohort", programme)))
    assert "Calibration" in text and NOTICED in text
    assert DRAFT_WORDS not in text and "Still ours" not in text
    assert not any(name in text for name in names_of(pair))
    assert all(name in text for name in names_of(other_pair))


@pytest.mark.django_db
def test_the_coordinator_proposes_accepts_and_dismisses_by_the_page(
    client, programme, people, django_capture_on_commit_callbacks
):
    share_each(programme, CALIBRATION, CALIBRATION_AGAIN, PUB, PUB_AGAIN)
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        said = page_text(client.post(programme_url("themes:propose", programme), follow=True))
    assert "Proposing groupings of the shared themes by similarity." in said
    assert GroupingRun.objects.get().finished_at is not None
    page = client.get(programme_url("themes:cohort", programme))
    assert page.content.decode().count('data-testid="proposed"') == 2
    assert "2 pairs, 2 themes" in page_text(page) and "Shared words: " in page_text(page)
    status = page_text(client.get(programme_url("themes:grouping_status", programme)))
    assert "2 groupings" in status
    calibration = RecurringTheme.objects.get(themes__title=CALIBRATION[0])
    pub = RecurringTheme.objects.get(themes__title=PUB[0])
    said = page_text(
        client.post(programme_url("themes:accept", programme, calibration.pk), follow=True)
    )
    assert f"“{calibration.title}” accepted." in said
    said = page_text(client.post(programme_url("themes:dismiss", programme, pub.pk), follow=True))
    assert "Proposal dismissed; its themes are ungrouped again." in said
    calibration.refresh_from_db()
    assert calibration.status == RecurringStatus.ACCEPTED
    assert not RecurringTheme.objects.filter(pk=pub.pk).exists()
    refused = client.post(programme_url("themes:dismiss", programme, calibration.pk), follow=True)
    assert "Only a proposal can be dismissed" in page_text(refused)


@pytest.mark.django_db
def test_the_coordinator_groups_by_hand_renames_merges_splits_and_moves_one_theme(
    client, programme, people
):
    themes = [shared(new_pair(programme), f"Theme {n}") for n in range(4)]
    client.force_login(people["coordinator"])
    new = programme_url("themes:recurring_new", programme)
    refused = client.post(new, {"new-title": "Nothing chosen", "new-system": "data"})
    assert refused.status_code == 400 and "Nothing chosen" in refused.content.decode()
    client.post(
        new,
        {"new-title": "By hand", "new-system": "data", "new-themes": [t.pk for t in themes[:3]]},
    )
    by_hand = RecurringTheme.objects.get(title="By hand")
    assert set(by_hand.themes.all()) == set(themes[:3])
    client.post(
        programme_url("themes:recurring_save", programme, by_hand.pk),
        {"title": "Renamed", "system": "culture"},
    )
    by_hand.refresh_from_db()
    assert (by_hand.title, by_hand.system) == ("Renamed", "culture")
    split = client.post(
        programme_url("themes:split", programme, by_hand.pk),
        {"split-title": "Split off", "split-system": "data", "split-themes": [themes[0].pk]},
        follow=True,
    )
    assert "Split off as “Split off”." in page_text(split)
    split_off = RecurringTheme.objects.get(title="Split off")
    assert list(split_off.themes.all()) == [themes[0]]
    other = grouped(programme, "Other", themes[3])
    client.post(programme_url("themes:merge", programme, by_hand.pk), {"others": [other.pk]})
    assert not RecurringTheme.objects.filter(pk=other.pk).exists()
    assert set(by_hand.themes.all()) == set(themes[1:])
    # A "move to" list opened before that merge still offers the merged theme.
    moved = client.post(
        programme_url("themes:regroup", programme, themes[1].pk),
        {"recurring": other.pk},
        follow=True,
    )
    assert "That recurring theme is no longer there: it was merged or dismissed meanwhile." in (
        page_text(moved)
    )
    client.post(programme_url("themes:regroup", programme, themes[1].pk), {"recurring": ""})
    themes[1].refresh_from_db()
    assert themes[1].recurring is None
    client.post(
        programme_url("themes:regroup", programme, themes[1].pk), {"recurring": split_off.pk}
    )
    themes[1].refresh_from_db()
    assert themes[1].recurring == split_off


@pytest.mark.django_db
def test_a_split_of_every_theme_is_refused_next_to_the_form(client, programme, people):
    themes = [shared(new_pair(programme), f"Theme {n}") for n in range(2)]
    recurring = grouped(programme, "Both", *themes)
    client.force_login(people["coordinator"])
    refused = client.post(
        programme_url("themes:split", programme, recurring.pk),
        {"split-title": "All", "split-system": "", "split-themes": [t.pk for t in themes]},
    )
    assert refused.status_code == 400
    assert "Leave at least one theme where it is" in page_text(refused)
    assert recurring.themes.count() == 2


@pytest.mark.django_db
def test_a_draft_or_another_pairs_theme_cannot_be_grouped_by_id(client, programme, people, pair):
    hidden = draft(pair, noticed=DRAFT_WORDS)
    client.force_login(people["coordinator"])
    refused = client.post(
        programme_url("themes:recurring_new", programme),
        {"new-title": "Sneaky", "new-system": "data", "new-themes": [hidden.pk]},
    )
    assert refused.status_code == 400 and DRAFT_WORDS not in refused.content.decode()
    assert client.post(programme_url("themes:regroup", programme, hidden.pk)).status_code == 404
    assert not RecurringTheme.objects.exists()


@pytest.mark.django_db
def test_a_recurring_theme_shows_how_many_pairs_raised_it_never_which(
    client, programme, people, pair, other_pair, facilitated
):
    recurring = grouped(
        programme,
        "Calibration",
        shared(pair, "One", noticed=NOTICED),
        shared(pair, "Two"),
        shared(other_pair, "Three", quick_win=True),
    )
    for who in ("coordinator", "supervisor"):
        client.force_login(people[who])
        cohort = page_text(client.get(programme_url("themes:cohort", programme)))
        assert "Calibration Promotion and progression 2 3 1" in cohort  # pairs, themes, quick
        detail = page_text(client.get(programme_url("themes:recurring", programme, recurring.pk)))
        assert "raised by 2 pairs in 3 themes" in detail and NOTICED in detail
        for text in (cohort, detail):
            assert not any(name in text for name in names_of(pair) + names_of(other_pair))


@pytest.mark.django_db
def test_the_facilitator_reads_the_themes_and_changes_nothing(
    client, programme, people, pair, facilitated
):
    recurring = grouped(programme, "Calibration", shared(pair, noticed=NOTICED))
    client.force_login(people["supervisor"])
    cohort = client.get(programme_url("themes:cohort", programme)).content.decode()
    assert "Calibration" in cohort  # grouped: its words are on the recurring theme's page
    assert "Propose groupings" not in cohort and "Accept" not in cohort
    detail = client.get(programme_url("themes:recurring", programme, recurring.pk))
    assert NOTICED in detail.content.decode() and "Merge" not in detail.content.decode()
    for name, args in (
        ("themes:propose", ()),
        ("themes:recurring_save", (recurring.pk,)),
        ("themes:merge", (recurring.pk,)),
    ):
        assert client.post(programme_url(name, programme, *args)).status_code == 403


@pytest.mark.django_db
def test_a_supervisor_who_facilitates_no_session_reads_no_shared_theme(
    client, programme, people, pair
):
    recurring = grouped(programme, "Calibration", shared(pair, noticed=NOTICED))
    client.force_login(people["supervisor"])
    cohort = client.get(programme_url("themes:cohort", programme))
    assert cohort.status_code == 200 and NOTICED not in cohort.content.decode()
    assert "once you facilitate one of this programme's sessions" in page_text(cohort)
    detail = client.get(programme_url("themes:recurring", programme, recurring.pk))
    assert detail.status_code == 404 and NOTICED not in detail.content.decode()


@pytest.mark.django_db
def test_who_may_not_read_the_themes_is_refused(client, programme, people, pair):
    recurring = grouped(programme, "Calibration", shared(pair, noticed=NOTICED))
    for who, status in (
        ("steering", 403),
        ("executive", 403),
        ("senior", 403),
        ("org_admin", 403),
        ("outsider", 404),
    ):
        client.force_login(people[who])
        for url in (
            programme_url("themes:cohort", programme),
            programme_url("themes:recurring", programme, recurring.pk),
        ):
            response = client.get(url)
            assert response.status_code == status, (who, url)
            assert NOTICED not in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_of_another_programme_reaches_none_of_these_themes(
    client, org, programme, pair
):
    recurring = grouped(programme, "Calibration", shared(pair, noticed=NOTICED))
    elsewhere = factories.programme(org, name="Another")
    theirs = factories.member(org)
    programme_member_add(programme=elsewhere, user=theirs, role=Role.COORDINATOR)
    client.force_login(theirs)
    assert client.get(programme_url("themes:cohort", programme)).status_code == 403
    other_url = programme_url("themes:recurring", elsewhere, recurring.pk)
    assert client.get(other_url).status_code == 404


@pytest.mark.django_db
def test_the_coordinator_finds_themes_by_words_and_system_a_page_at_a_time(
    client, programme, people, pair, other_pair
):
    """At 300 pairs hundreds of shared themes wait to be grouped: the page shows 25 at a time,
    finds them by their words or system, and the form offers the themes shown."""
    rotas = [shared(pair, f"Rota pressure {n:02d}") for n in range(PAGE_SIZE + 2)]
    panels = shared(other_pair, "Panels reward confidence", system="culture", noticed=NOTICED)
    grouped(programme, "Rotas nobody can plan around", shared(other_pair, "Rotas again"))
    client.force_login(people["coordinator"])
    url = programme_url("themes:cohort", programme)

    first = client.get(url).content.decode()
    assert first.count('data-testid="ungrouped-theme"') == PAGE_SIZE
    assert first.count('name="new-themes"') == PAGE_SIZE  # the form offers the themes shown
    assert "Page 1 of 2" in first and "ungrouped_page=2" in first
    second = client.get(url, {"ungrouped_page": 2}).content.decode()
    assert second.count('data-testid="ungrouped-theme"') == 3

    by_words = client.get(url, {"words": "minutes"})  # found in what it noticed
    found = by_words.content.decode()
    assert found.count('data-testid="ungrouped-theme"') == 1 and "Panels reward confidence" in found
    assert "None match." in found  # no recurring theme has the word in its title
    by_system = client.get(url, {"system": "promotion", "words": "rotas"}).content.decode()
    assert by_system.count('data-testid="recurring"') == 1
    assert by_system.count('data-testid="ungrouped-theme"') == 0  # "Rotas again" is grouped
    refused = client.get(url, {"words": "x" * 101, "system": "nowhere"})
    assert refused.status_code == 200
    assert "at most 100 characters" in page_text(refused)
    assert "Select a valid choice" in page_text(refused)
    shown = refused.content.decode().count('data-testid="ungrouped-theme"')
    assert shown == PAGE_SIZE  # a filter it cannot read hides nothing

    # A form refused keeps the ticks it was sent, from another page too.
    ticked = [rotas[0].pk, panels.pk]
    new = programme_url("themes:recurring_new", programme) + "?words=pressure"
    response = client.post(new, {"new-title": "", "new-system": "data", "new-themes": ticked})
    assert response.status_code == 400
    body = response.content.decode()
    for pk in ticked:
        assert re.search(rf'name="new-themes" value="{pk}"[^>]*checked', body), pk
    # Shown at the form's own address, its search and pagers still lead to the themes page.
    assert f'action="{url}"' in body and f'href="{url}?words=pressure&amp;ungrouped_page=2' in body
    grouped_now = client.post(
        new, {"new-title": "Rotas", "new-system": "data", "new-themes": ticked}
    )
    assert grouped_now.status_code == 302
    assert grouped_now["Location"] == f"{url}?words=pressure"  # back to the themes it was among
    for hostile in (["x"], ["9" * 30]):
        assert client.post(new, {"new-title": "t", "new-themes": hostile}).status_code == 400
