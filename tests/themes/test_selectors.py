"""The themes pages cost the same queries for 2 shared themes, pairs, issues and agenda items as
for 20: the selectors fetch what the pages show in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.roles import Role, Side
from pairs.models import Pair, PairStatus, Profile
from programmes.models import GroupSession
from supervision.services import group_facilitation_set
from themes.models import (
    AgendaItem,
    IssueAction,
    LeadOffer,
    RecurringStatus,
    RecurringTheme,
    SystemicIssue,
    Theme,
    ThemeConsent,
)

from .. import factories
from ..pages import queries_for
from ..urls import programme_url
from .conftest import published_pair


def bulk_pairs(programme, count: int) -> list[Pair]:
    profiles = [
        Profile(
            programme=programme,
            email=f"{side}{n}-{programme.pk}@bulk.test",
            full_name=f"{side} {n}",
            side=side,
            decision="selected",
        )
        for n in range(count)
        for side in (Side.SENIOR, Side.JUNIOR)
    ]
    Profile.objects.bulk_create(profiles)
    return Pair.objects.bulk_create(
        Pair(
            programme=programme,
            senior=profiles[2 * n],
            junior=profiles[2 * n + 1],
            status=PairStatus.ACTIVE,
            published_at=timezone.now(),
        )
        for n in range(count)
    )


def bulk_themes(pairs, count: int, **fields) -> list[Theme]:
    return Theme.objects.bulk_create(
        Theme(
            pair=pairs[n % len(pairs)],
            title=f"Theme {n}",
            noticed=f"What pair {n} noticed",
            system="culture",
            quick_win=n % 2 == 0,
            named=n % 3 == 0,
            **fields,
        )
        for n in range(count)
    )


def a_cohort(org, size: int):
    """A programme with `size` pairs, each sharing themes: `size` recurring themes (half of them
    proposals) of two themes each, `size` ungrouped, `size` issues of two actions each, and
    `size` agenda items on the first session, each with a volunteer."""
    coordinator = factories.member(org)
    programme = factories.programme(org, coordinator=coordinator)
    pairs = bulk_pairs(programme, size)
    shared = bulk_themes(pairs, 3 * size, shared_at=timezone.now())
    recurring = RecurringTheme.objects.bulk_create(
        RecurringTheme(
            programme=programme,
            title=f"Recurring {n}",
            system="culture",
            status=RecurringStatus.PROPOSED if n % 2 else RecurringStatus.ACCEPTED,
            shared_words="pub, work",
        )
        for n in range(size)
    )
    for n, theme in enumerate(shared[: 2 * size]):
        theme.recurring = recurring[n // 2]
    Theme.objects.bulk_update(shared[: 2 * size], ["recurring"])
    issues = SystemicIssue.objects.bulk_create(
        SystemicIssue(programme=programme, title=f"Issue {n}", system="culture", owner=coordinator)
        for n in range(size)
    )
    for issue, theme in zip(issues, recurring, strict=True):
        issue.recurring.add(theme)
    IssueAction.objects.bulk_create(
        IssueAction(
            issue=issue,
            text=f"Action {n}",
            owner=coordinator,
            due=timezone.localdate() + timedelta(days=n),
        )
        for issue in issues
        for n in range(2)
    )
    volunteer = factories.programme_person(programme, Role.PARTICIPANT, Side.SENIOR)
    partner = factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR)
    published_pair(programme, volunteer, partner)
    session = GroupSession.objects.filter(programme=programme).order_by("sequence").first()
    group_facilitation_set(
        session=session, facilitator=None, external_facilitator="Ada Facilitator"
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(session=session, recurring=theme, position=n)
        for n, theme in enumerate(recurring)
    )
    LeadOffer.objects.bulk_create(LeadOffer(item=item, user=volunteer) for item in items)
    AgendaItem.objects.filter(pk__in=[item.pk for item in items[::2]]).update(lead=volunteer)
    return programme, coordinator, recurring[0], session


@pytest.fixture
def cohorts(org):
    return {size: a_cohort(org, size) for size in (2, 20)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "with_id"),
    [
        ("themes:cohort", None),
        ("themes:recurring", "recurring"),
        ("themes:register", None),
        ("supervision:group_session", "session"),
    ],
)
def test_the_coordinators_pages_take_the_same_queries_for_2_and_20(client, cohorts, name, with_id):
    counts = []
    for programme, coordinator, recurring, session in cohorts.values():
        args = {"recurring": (recurring.pk,), "session": (session.pk,), None: ()}[with_id]
        counts.append(queries_for(client, coordinator, programme_url(name, programme, *args)))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_the_session_panel_costs_a_participant_the_same_queries_for_2_and_20(client, cohorts):
    counts = []
    for programme, _, _, session in cohorts.values():
        invited = session.attendance.order_by("user__pk").first().user
        url = programme_url("supervision:group_session", programme, session.pk)
        counts.append(queries_for(client, invited, url))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_an_issues_page_takes_the_same_queries_for_2_and_20_actions(client, org):
    counts = []
    for size in (2, 20):
        programme, coordinator, _, _ = a_cohort(org, 2)
        issue = SystemicIssue.objects.filter(programme=programme).first()
        IssueAction.objects.bulk_create(
            IssueAction(issue=issue, text=f"More {n}", owner=coordinator, due=timezone.localdate())
            for n in range(size)
        )
        url = programme_url("themes:issue", programme, issue.pk)
        counts.append(queries_for(client, coordinator, url))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_our_themes_take_the_same_queries_for_2_and_20(client, org):
    counts = []
    for size in (2, 20):
        programme = factories.programme(org)
        senior = factories.programme_person(programme, Role.PARTICIPANT, Side.SENIOR)
        junior = factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR)
        pair = published_pair(programme, senior, junior)
        drafts = bulk_themes([pair], size, added_by=junior)
        ThemeConsent.objects.bulk_create(ThemeConsent(theme=t, user=junior) for t in drafts[::2])
        shared = bulk_themes([pair], size, shared_at=timezone.now())
        recurring = RecurringTheme.objects.create(programme=programme, title="Where it went")
        Theme.objects.filter(pk__in=[t.pk for t in shared[::2]]).update(recurring=recurring)
        counts.append(queries_for(client, senior, programme_url("themes:ours", programme)))
    assert counts[0] == counts[1], counts
