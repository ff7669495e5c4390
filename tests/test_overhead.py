"""What every tenant page costs before its view does anything: the queries of the middleware, the
permission check and the navbar, measured on pages that do nothing of their own (served only
here, beside the app's own URLs)."""

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from config.urls import urlpatterns as app_urlpatterns
from organisations.permissions import OrgPerm, requires
from organisations.sign_in import mfa_requirement_set
from programmes.permissions import Perm
from programmes.services import ethics_acknowledge, ethics_statement_set

from .queries import writes_in

PROGRAMME_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}{% include "programmes/_nav.html" %}{% endblock %}'
)
ORGANISATION_PAGE = engines["django"].from_string('{% extends "base.html" %}')


@requires(OrgPerm.VIEW)
def trivial_organisation_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    return HttpResponse(ORGANISATION_PAGE.render({}, request))


@requires(Perm.VIEW_PROGRAMME)
def trivial_programme_page(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return HttpResponse(PROGRAMME_PAGE.render({}, request))


urlpatterns = [
    path("o/<slug:org_slug>/trivial/", trivial_organisation_page, name="trivial_organisation"),
    path(
        "o/<slug:org_slug>/programmes/<int:programme_id>/trivial/",
        trivial_programme_page,
        name="trivial_programme",
    ),
    *app_urlpatterns,
]

# The fixed overhead, query by query:
#   the session; the person; their memberships, each with its organisation and what the
#   two-factor requirement asks of it (one query, which the navbar's switcher lists too); (the
#   navbar's count of unread notifications is kept in the cache, so costs a query only once
#   something changed it, as on the first visit here);
#   on a programme's page, the programme with the person's roles in it and whether they
#   acknowledged its ground rules (one query; a second for an admin who holds no role in it);
#   on an organisation's page, whether a member coordinates a programme (it lets them start
#   one; an admin may anyway).
PROGRAMME_PAGE_QUERIES = {
    "coordinator": 4,
    "junior": 4,
    "steering": 4,
    "supervisor": 4,
    "executive": 4,
    "org_admin": 5,
}
ORGANISATION_PAGE_QUERIES = {"coordinator": 4, "junior": 4, "org_admin": 3}
MOST = 6


def overhead(client: Client, url: str) -> list[str]:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("who", sorted(PROGRAMME_PAGE_QUERIES))
def test_a_programme_page_costs_at_most_six_queries_before_its_view(programme, people, who):
    ethics_statement_set(programme=programme, text="We keep each other's confidences.")
    for side in ("senior", "junior"):
        ethics_acknowledge(programme=programme, user=people[side])
    client = Client()
    client.force_login(people[who])
    url = reverse("trivial_programme", args=[programme.organisation.slug, programme.pk])
    queries = overhead(client, url)
    assert len(queries) == PROGRAMME_PAGE_QUERIES[who] <= MOST, "\n".join(queries)
    assert writes_in(queries) == []


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("who", sorted(ORGANISATION_PAGE_QUERIES))
def test_an_organisation_page_costs_at_most_six_queries_before_its_view(programme, people, who):
    client = Client()
    client.force_login(people[who])
    queries = overhead(client, reverse("trivial_organisation", args=[programme.organisation.slug]))
    assert len(queries) == ORGANISATION_PAGE_QUERIES[who] <= MOST, "\n".join(queries)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_two_factor_requirement_costs_no_query_of_its_own(programme, people):
    """Whether a member owes a second factor is read with their memberships: the same count
    when the organisation requires one, and a coordinator without one is still sent to set it
    up."""
    from allauth.mfa.models import Authenticator

    admin = people["org_admin"]
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    mfa_requirement_set(organisation=programme.organisation, required=True, by=admin)
    url = reverse("trivial_programme", args=[programme.organisation.slug, programme.pk])
    for who in ("junior", "org_admin"):
        client = Client()
        client.force_login(people[who])
        assert len(overhead(client, url)) == PROGRAMME_PAGE_QUERIES[who]
    client = Client()
    client.force_login(people["coordinator"])
    assert client.get(url)["Location"] == reverse("mfa_index")
