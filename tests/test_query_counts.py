"""Every key page of every role takes the same number of queries for 2 pairs as for 20, and
exactly the number it is known to take, at most 12 (issue 17).

Each size gets a programme under way (pairs with meetings, a steering member looking after
them all, a referral per pair in supervision, a closed survey everyone answered) and one being
matched (the matching's proposals), built through the services as the app builds them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.roles import Role
from pairs.models import Pair, PairStatus
from pairs.services import matching_publish, matching_run
from supervision.models import Supervisor

from . import factories
from .urls import programme_url


def world(org, size: int) -> dict:
    coordinator = factories.member(org)
    running = factories.programme(org, coordinator=coordinator, name=f"Running {size}")
    factories.selected_cohort(running, size, size)
    matching_run(programme=running)
    matching_publish(programme=running, by=coordinator)
    pairs = list(Pair.objects.filter(programme=running, status=PairStatus.ACTIVE))
    steering = factories.programme_person(running, Role.STEERING)
    supervisor_user = factories.programme_person(running, Role.SUPERVISOR)
    supervisor = Supervisor.objects.get(programme=running, user=supervisor_user)
    supervisor.capacity = size
    supervisor.save()
    Pair.objects.filter(programme=running).update(steering_member=steering)
    survey = factories.open_survey(running)
    for pair in pairs:
        for profile in (pair.senior, pair.junior):
            factories.log_meeting(pair, profile.user)
            factories.answer(survey, profile.user, value=3)
        referral = factories.referral(pair, pair.junior.user, text="Help", about=pair.junior.user)
        factories.in_supervision(referral, coordinator=coordinator, supervisor=supervisor)
    factories.close_survey(survey)
    matching = factories.programme(org, coordinator=coordinator, name=f"Matching {size}")
    factories.selected_cohort(matching, size, size)
    matching_run(programme=matching)
    executive = factories.programme_person(running, Role.EXECUTIVE)
    return {
        "running": running,
        "pairs": pairs,
        "supervisor_record": supervisor,
        "coordinator": coordinator,
        "participant": pairs[0].senior.user,
        "steering": steering,
        "supervisor": supervisor_user,
        "executive": executive,
        "pages": [
            ("coordinator", programme_url("programmes:home", running)),
            ("coordinator", programme_url("pairs:pairs", running)),
            ("coordinator", programme_url("pairs:matching", matching)),
            ("coordinator", programme_url("programmes:timeline", running)),
            ("coordinator", programme_url("programmes:plan", running)),
            ("coordinator", programme_url("surveys:results", running, survey.pk)),
            ("coordinator", programme_url("pairs:pair", running, pairs[0].pk)),
            ("coordinator", programme_url("supervision:triage", running)),
            ("participant", programme_url("pairs:my_pair", running)),
            ("participant", programme_url("programmes:home", running)),
            ("steering", programme_url("pairs:my_pairs", running)),
            ("steering", programme_url("programmes:home", running)),
            ("supervisor", programme_url("supervision:cases", running)),
            ("supervisor", programme_url("programmes:home", running)),
            ("executive", programme_url("reports:list", running)),
            ("executive", programme_url("programmes:home", running)),
        ],
    }


def queries_of(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # what a first visit sets up once (the session's activity, say)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# In the order of world()'s pages. A first visit has warmed what every page keeps for later
# (the navbar's unread count), as a person's second page would find it.
EXACT = [12, 7, 10, 7, 7, 8, 11, 6, 12, 11, 7, 9, 6, 8, 5, 10]
MOST = 12


@pytest.mark.django_db
def test_every_key_page_takes_the_same_known_queries_for_2_pairs_and_20(client, org):
    small, large = world(org, 2), world(org, 20)
    assert len(EXACT) == len(small["pages"])
    wrong = []
    for (role, small_url), (_, large_url), exact in zip(
        small["pages"], large["pages"], EXACT, strict=True
    ):
        counts = (
            queries_of(client, small[role], small_url),
            queries_of(client, large[role], large_url),
        )
        if counts != (exact, exact):
            wrong.append(
                f"{role} {large_url}: {counts[0]} for 2 pairs, {counts[1]} for 20, not {exact}"
            )
    assert not wrong, "\n".join(wrong)
    assert max(EXACT) <= MOST
