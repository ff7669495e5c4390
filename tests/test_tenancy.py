"""The tenancy rule: every URL under /o/ is closed to outsiders (404) and to visitors (sign in)."""

import re

import pytest
from django.urls import reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from programmes.models import Programme, Stage

from . import factories
from .urls import tenant_patterns

SAMPLE_VALUES = {
    "slug": "x",
    "int": 1,
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def url_for(name: str, route: str, org_slug: str) -> str:
    """Sample values for every parameter of the full route, including those of its includes."""
    kwargs: dict[str, object] = {
        key: SAMPLE_VALUES[kind] for kind, key in re.findall(r"<(\w+):(\w+)>", route)
    }
    kwargs["org_slug"] = org_slug
    return reverse(name, kwargs=kwargs)


def test_there_are_tenant_urls_to_check():
    names = {name for _, name, _ in tenant_patterns()}
    assert {"organisation", "members", "programmes:timeline", "reports:download"} <= names


@pytest.mark.parametrize("name", sorted({name for _, name, _ in tenant_patterns()}))
def test_every_tenant_url_is_404_for_an_outsider_and_sign_in_for_a_visitor(client, org, name):
    route = next(r for r, n, _ in tenant_patterns() if n == name)
    # Give the numeric ids real objects of the organisation, so the 404 comes from membership.
    programme = factories.programme(org)
    stage = Stage.objects.filter(programme=programme).first()
    url = url_for(name, route, org.slug).replace("/1/", f"/{programme.pk}/", 1)
    url = url.replace("/stages/1/", f"/stages/{stage.pk}/")

    visitor = client.get(url)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login") + "?next=")

    outsider = factories.member(factories.OrganisationFactory())
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404

    # Whatever a member gets from a tenant URL may hold personal data: no cache may keep it.
    client.force_login(programme.members.get().user)
    assert client.get(url)["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", sorted({name for _, name, _ in tenant_patterns()}))
def test_every_tenant_view_declares_the_permission_it_needs(name):
    pattern = next(p for _, n, p in tenant_patterns() if n == name)
    declared = getattr(pattern.callback, "required_permissions", {})
    assert any(declared.values()), f"{name} declares no permission"


def test_a_query_without_an_active_scope_fails_loudly(programme):
    with scope(), pytest.raises(ScopeError):
        list(Programme.objects.all())
    with scope(), pytest.raises(ScopeError):
        Stage.objects.filter(programme=programme).count()


def test_a_scope_shows_only_its_own_organisation(org, other_org):
    mine = factories.programme(org, name="Mine")
    factories.programme(other_org, name="Theirs")
    with scope(organisation=org):
        assert list(Programme.objects.all()) == [mine]


def test_a_member_cannot_reach_another_organisations_programme_through_their_own_slug(
    client, org, other_org
):
    theirs = factories.programme(other_org)
    me = factories.member(org)
    client.force_login(me)
    for name in ["programmes:timeline", "programmes:people", "reports:list"]:
        url = reverse(name, kwargs={"org_slug": org.slug, "programme_id": theirs.pk})
        assert client.get(url).status_code == 404, name
