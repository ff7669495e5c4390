"""Pairs that capture themes, and the helpers the themes tests share."""

import pytest
from django.utils import timezone

from organisations.roles import Role, Side
from pairs.models import Pair, PairStatus, Profile
from programmes.models import GroupSession
from supervision.models import Supervisor
from supervision.services import group_facilitation_set
from themes.models import Theme
from themes.services import recurring_create, theme_add, theme_agree

from .. import factories

DRAFT_WORDS = "Only the two of us have read this sentence about our director"


def published_pair(programme, senior, junior) -> Pair:
    """Two participants of the programme (their profiles exist), as an active pair."""
    profiles = {
        side: Profile.objects.get(programme=programme, user=user)
        for side, user in ((Side.SENIOR, senior), (Side.JUNIOR, junior))
    }
    return Pair.objects.create(
        programme=programme,
        senior=profiles[Side.SENIOR],
        junior=profiles[Side.JUNIOR],
        status=PairStatus.ACTIVE,
        published_at=timezone.now(),
    )


def new_pair(programme) -> Pair:
    return published_pair(
        programme,
        factories.programme_person(programme, Role.PARTICIPANT, Side.SENIOR),
        factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR),
    )


def values(title: str, noticed: str = "", **fields) -> dict:
    return {
        "title": title,
        "noticed": noticed or f"What we noticed about {title.lower()}",
        "system": "promotion",
        "quick_win": False,
        **fields,
    }


def draft(pair: Pair, title: str = "Calibration nobody records", **fields) -> Theme:
    return theme_add(pair=pair, by=pair.senior.user, values=values(title, **fields))


def shared(pair: Pair, title: str = "Calibration nobody records", **fields) -> Theme:
    """A theme both partners agreed to share, without their names."""
    theme = draft(pair, title, **fields)
    for partner in (pair.senior.user, pair.junior.user):
        theme = theme_agree(theme=theme, by=partner, with_names=False)
    return theme


def grouped(programme, title: str, *themes: Theme):
    return recurring_create(programme=programme, title=title, system="promotion", themes=themes)


@pytest.fixture
def pair(programme, people) -> Pair:
    return published_pair(programme, people["senior"], people["junior"])


@pytest.fixture
def other_pair(programme) -> Pair:
    return new_pair(programme)


@pytest.fixture
def session(programme) -> GroupSession:
    """The first combined session."""
    return GroupSession.objects.filter(programme=programme).order_by("sequence").first()


@pytest.fixture
def facilitated(session, people, pair) -> GroupSession:
    """The first combined session, facilitated by the people fixture's supervisor; the pair's
    partners are invited."""
    supervisor = Supervisor.objects.get(programme=session.programme, user=people["supervisor"])
    group_facilitation_set(session=session, facilitator=supervisor, external_facilitator="")
    return session
