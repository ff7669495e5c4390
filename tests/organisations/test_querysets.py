"""aggregate_together: several querysets' aggregates, the same figures as one at a time, in one
query."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from organisations.models import Membership
from organisations.querysets import aggregate_together
from organisations.roles import OrgRole
from programmes.models import Programme, ProgrammeMember

from .. import factories


@pytest.mark.django_db
def test_the_figures_of_several_querysets_come_from_one_query_and_equal_each_aggregate(org):
    factories.member(org, OrgRole.ADMIN)
    for _ in range(3):
        factories.member(org)
    factories.programme(org, name="Spring")
    factories.programme(org, name="Autumn")
    memberships = (
        Membership.objects.filter(organisation=org),
        {
            "members": Count("pk"),
            "admins": Count("pk", filter=Q(role=OrgRole.ADMIN)),
        },
    )
    programmes = (Programme.objects.filter(organisation=org), {"programmes": Count("pk")})
    nobody = (ProgrammeMember.objects.filter(user__in=[]), {"nobody": Count("pk")})
    with CaptureQueriesContext(connection) as queries:
        together = aggregate_together(memberships, programmes, nobody)
    assert len(queries) == 1
    each = {}
    for queryset, aggregates in (memberships, programmes, nobody):
        each |= queryset.aggregate(**aggregates)
    assert together == each
    assert together["admins"] >= 1 and together["members"] >= 4 and together["programmes"] == 2
    assert together["nobody"] == 0
