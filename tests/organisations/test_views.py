"""The organisation's own pages: creating one, its members, and the way home."""

import pytest
from django.urls import reverse

from organisations.models import Membership, Organisation
from organisations.roles import OrgRole

from .. import factories


@pytest.mark.django_db
def test_a_signed_up_user_creates_an_organisation_and_becomes_its_admin(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("organisation_new"), {"name": "Acme & Partners", "time_zone": "Europe/Paris"}
    )
    organisation = Organisation.objects.get(name="Acme & Partners")
    assert response["Location"] == reverse("organisation", args=[organisation.slug])
    assert organisation.slug == "acme-partners"
    assert Membership.objects.get(user=user, organisation=organisation).role == OrgRole.ADMIN


@pytest.mark.django_db
def test_organisation_form_rejects_an_unknown_time_zone(client):
    client.force_login(factories.UserFactory())
    response = client.post(
        reverse("organisation_new"), {"name": "Kept name", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    assert "Kept name" in response.content.decode()
    assert not Organisation.objects.filter(name="Kept name").exists()


@pytest.mark.django_db
def test_members_page_is_for_admins_only_and_filters(client, org, admin_user):
    ordinary = factories.member(org, full_name="Olu Ordinary")
    factories.member(org, full_name="Zed Zebra")
    client.force_login(ordinary)
    assert client.get(reverse("members", args=[org.slug])).status_code == 403
    client.force_login(admin_user)
    html = client.get(reverse("members", args=[org.slug]), {"q": "zebra"}).content.decode()
    assert "Zed Zebra" in html and "Olu Ordinary" not in html


@pytest.mark.django_db
def test_home_takes_a_member_of_several_organisations_to_the_last_one_used(client, org, other_org):
    user = factories.member(org)
    Membership.objects.create(user=user, organisation=other_org)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200  # the chooser
    client.get(reverse("organisation", args=[other_org.slug]))
    landing = reverse("organisation_start", args=[other_org.slug])
    assert client.get(reverse("home"))["Location"] == landing
