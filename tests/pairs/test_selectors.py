"""The coordinator's dashboard of pairs costs the same queries for 10 pairs and 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.roles import Side
from pairs.models import Meeting, Pair, PairStatus, Profile
from pairs.services import pair_figures_refresh

from .. import factories
from ..urls import programme_url


def many_pairs(programme, count: int) -> None:
    """`count` active pairs with meetings, check-ins and concerns, made in bulk."""
    coordinator = factories.member(programme.organisation)
    seniors, juniors = [], []
    for n in range(count):
        for side, bucket in ((Side.SENIOR, seniors), (Side.JUNIOR, juniors)):
            bucket.append(
                Profile(
                    programme=programme,
                    email=f"{side}{n}-{programme.pk}@bulk.test",
                    full_name=f"{side} {n}",
                    side=side,
                    decision="selected",
                )
            )
    Profile.objects.bulk_create(seniors + juniors)
    pairs = Pair.objects.bulk_create(
        Pair(
            programme=programme,
            senior=s,
            junior=j,
            status=PairStatus.ACTIVE,
            published_at=timezone.now(),
            pulse_flags=["A low answer on “going”"] if n % 3 == 0 else [],
        )
        for n, (s, j) in enumerate(zip(seniors, juniors, strict=True))
    )
    Meeting.objects.bulk_create(
        Meeting(pair=p, date=timezone.localdate(), duration_minutes=60, mode="virtual")
        for p in pairs
    )
    pair_figures_refresh(pairs=Pair.objects.filter(programme=programme))
    assert coordinator


@pytest.mark.django_db
def test_the_dashboard_takes_the_same_queries_for_10_pairs_and_300(client, org):
    counts = []
    for total in (10, 300):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        many_pairs(programme, total)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(programme_url("pairs:pairs", programme), {"sort": "attention"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
