"""Two-factor sign-in: an organisation requires it of those who read confidential data, who set
up an authenticator app before any of its pages open and are asked for its code at sign-in. And
the organisation's sign-in page, where an admin sets the requirement and single sign-on."""

import sys

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from organisations.models import SignInDomain, SingleSignOn
from organisations.roles import OrgRole
from organisations.sign_in import mfa_requirement_set

from .. import factories
from ..factories import ALL_ROLES, PASSWORD

# The people who read confidential data: organisation admins, coordinators and supervisors.
MUST_USE_A_SECOND_FACTOR = {"org_admin", "coordinator", "supervisor"}


def authenticator_code(secret: str) -> str:
    """The code an authenticator app shows now, computed as allauth computes it."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def home_of(programme) -> str:
    return reverse("organisation", args=[programme.organisation.slug])


def sign_in(client, user) -> object:
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def set_up_authenticator_app(client) -> str:
    """Through allauth's pages, as a person does: confirm their password, scan the secret,
    type the code."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": authenticator_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL_ROLES)
def test_the_requirement_sends_exactly_those_who_read_confidential_data_to_set_it_up(
    client, programme, people, who
):
    organisation = programme.organisation
    mfa_requirement_set(organisation=organisation, required=True, by=people["org_admin"])
    client.force_login(people[who])
    response = client.get(reverse("organisation", args=[organisation.slug]))
    if who in MUST_USE_A_SECOND_FACTOR:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
        page = client.get(response["Location"])
        assert "asks everyone who can read confidential data" in page.content.decode()
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_without_the_requirement_nobody_is_sent_to_set_it_up(client, programme, people):
    client.force_login(people["coordinator"])
    assert client.get(home_of(programme)).status_code == 200


@pytest.mark.django_db
def test_after_setting_up_an_authenticator_app_the_pages_open_and_sign_in_asks_for_its_code(
    client, programme, people
):
    organisation = programme.organisation
    coordinator = people["coordinator"]
    mfa_requirement_set(organisation=organisation, required=True, by=people["org_admin"])
    home = reverse("organisation", args=[organisation.slug])
    assert sign_in(client, coordinator).status_code == 302
    assert client.get(home)["Location"] == reverse("mfa_index")

    secret = set_up_authenticator_app(client)
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    # allauth offers recovery codes with the app, for the day the phone is lost.
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert Authenticator.objects.filter(user=coordinator, type="recovery_codes").exists()
    assert client.get(home).status_code == 200

    client.post(reverse("account_logout"))
    response = sign_in(client, coordinator)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(home).status_code == 302  # not signed in until the code is given
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    right = client.post(reverse("mfa_authenticate"), {"code": authenticator_code(secret)})
    assert right.status_code == 302
    assert client.get(home).status_code == 200


@pytest.mark.django_db
def test_signing_in_without_a_second_factor_loads_no_passkey_library(
    client, programme, people, monkeypatch
):
    """allauth's two-factor step imports fido2 (and cryptography) as it loads; a web worker
    only loads it for a person who has a second factor (organisations.adapters)."""
    for module in ("allauth.mfa.stages", "fido2"):
        monkeypatch.setitem(sys.modules, module, None)  # importing it now fails
    response = sign_in(client, people["coordinator"])
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(home_of(programme)).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_signs_in_when_the_app_is_lost(client, programme, people):
    coordinator = people["coordinator"]
    sign_in(client, coordinator)
    set_up_authenticator_app(client)
    recovery = Authenticator.objects.get(user=coordinator, type="recovery_codes")
    code = recovery.wrap().get_unused_codes()[0]
    client.post(reverse("account_logout"))
    assert sign_in(client, coordinator)["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(home_of(programme)).status_code == 200


@pytest.mark.django_db
def test_passkeys_can_be_added_from_the_two_factor_page(client, people):
    sign_in(client, people["coordinator"])
    page = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_add_webauthn") in page
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    add = client.get(reverse("mfa_add_webauthn"))
    assert add.status_code == 200
    assert "webauthn.js" in add.content.decode()  # the browser's part, served from static/


# --- The organisation's sign-in page ----------------------------------------------------------


def settings_url(organisation) -> str:
    return reverse("sign_in_settings", args=[organisation.slug])


@pytest.mark.django_db
def test_an_admin_turns_the_requirement_on_from_the_sign_in_page(client, org):
    admin = factories.member(org, role=OrgRole.ADMIN)
    client.force_login(admin)
    assert client.get(settings_url(org)).status_code == 200
    first = client.post(settings_url(org), {"part": "mfa", "mfa_required": "yes"})
    assert first.status_code == 400
    assert "Set up two-factor sign-in for yourself first" in first.content.decode()
    org.refresh_from_db()
    assert not org.mfa_required
    TOTP.activate(admin, generate_totp_secret())
    response = client.post(settings_url(org), {"part": "mfa", "mfa_required": "yes"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.mfa_required
    refused = client.post(settings_url(org), {"part": "mfa", "mfa_required": "x" * 100})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    client.post(settings_url(org), {"part": "mfa", "mfa_required": "no"})
    org.refresh_from_db()
    assert not org.mfa_required


@pytest.mark.django_db
def test_only_admins_open_the_sign_in_page(client, programme, people):
    client.force_login(people["coordinator"])
    assert client.get(settings_url(programme.organisation)).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(settings_url(programme.organisation)).status_code == 404


OIDC = {
    "part": "sso",
    "protocol": "openid_connect",
    "domains": "Example.test",
    "server_url": "https://login.example.test/realms/staff",
    "client_id": "mentoring",
    "secret": "s3cret",
}


@pytest.mark.django_db
def test_an_admin_configures_openid_connect_for_their_domains(client, org):
    admin = factories.member(org, role=OrgRole.ADMIN, email="it@example.test")
    client.force_login(admin)
    response = client.post(settings_url(org), {**OIDC, "allow_join": "on"})
    assert response.status_code == 302
    sso = SingleSignOn.objects.get(organisation=org)
    assert sso.allow_join
    assert sso.app.provider == "openid_connect"
    assert sso.app.client_id == "mentoring"
    assert sso.app.settings["server_url"] == OIDC["server_url"]
    assert list(SignInDomain.objects.values_list("domain", flat=True)) == ["example.test"]
    page = client.get(settings_url(org)).content.decode()
    assert "s3cret" not in page  # the secret is never shown again
    # Saving again without the secret keeps it.
    client.post(settings_url(org), {**OIDC, "secret": ""})
    sso.app.refresh_from_db()
    assert sso.app.secret == "s3cret"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"domains": "not a domain"}, "domains", "is not an e-mail domain"),
        ({"domains": "elsewhere.test"}, "domains", "no verified e-mail address at elsewhere.test"),
        ({"server_url": "http://login.example.test/"}, "server_url", "must start with https://"),
        ({"client_id": ""}, "client_id", "Give the client ID"),
        ({"secret": ""}, "secret", "Give the client secret"),
        (
            {"protocol": "saml", "entity_id": "idp", "x509cert": "not a certificate"},
            "x509cert",
            "not an x509 certificate",
        ),
        ({"protocol": "saml", "entity_id": "idp"}, "sso_url", "or a metadata URL"),
    ],
)
def test_the_single_sign_on_form_says_what_is_wrong_and_keeps_what_was_typed(
    client, org, change, field, message
):
    admin = factories.member(org, role=OrgRole.ADMIN, email="it@example.test")
    client.force_login(admin)
    response = client.post(settings_url(org), {**OIDC, **change})
    assert response.status_code == 400
    form = response.context["sso_form"]
    assert message in " ".join(form.errors[field])
    assert f'value="{OIDC["client_id"]}"' in response.content.decode() or field == "client_id"
    assert not SingleSignOn.objects.exists()


@pytest.mark.django_db
def test_a_domain_signs_in_through_one_organisation_only(client, org):
    other = factories.OrganisationFactory()
    other_admin = factories.member(other, role=OrgRole.ADMIN, email="boss@example.test")
    client.force_login(other_admin)
    assert client.post(settings_url(other), OIDC).status_code == 302
    admin = factories.member(org, role=OrgRole.ADMIN, email="it@example.test")
    client.force_login(admin)
    response = client.post(settings_url(org), OIDC)
    assert "signs in through another organisation" in " ".join(
        response.context["sso_form"].errors["domains"]
    )


@pytest.mark.django_db
def test_an_admin_removes_single_sign_on(client, org):
    admin = factories.member(org, role=OrgRole.ADMIN, email="it@example.test")
    client.force_login(admin)
    client.post(settings_url(org), OIDC)
    response = client.post(reverse("single_sign_on_remove", args=[org.slug]))
    assert response.status_code == 302
    assert not SingleSignOn.objects.exists()
    assert not SignInDomain.objects.exists()


# --- Signed-in sessions -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_sees_their_signed_in_sessions_and_ends_the_others(programme, people):
    coordinator = people["coordinator"]
    laptop = Client(HTTP_USER_AGENT="Laptop browser")
    phone = Client(HTTP_USER_AGENT="Phone browser")
    for browser in (laptop, phone):
        assert sign_in(browser, coordinator).status_code == 302
    assert UserSession.objects.filter(user=coordinator).count() == 2
    menu = laptop.get(home_of(programme)).content.decode()
    assert reverse("usersessions_list") in menu  # in the account menu
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Phone browser" in page.content.decode()

    assert laptop.post(reverse("usersessions_list")).status_code == 302
    assert phone.get(home_of(programme))["Location"].startswith(reverse("account_login"))
    assert laptop.get(home_of(programme)).status_code == 200
    assert UserSession.objects.filter(user=coordinator).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["mfa_index", "usersessions_list", "socialaccount_connections"])
def test_the_account_pages_open_in_the_apps_layout(client, people, page):
    sign_in(client, people["junior"])
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert "Skip to main content" in response.content.decode()


@pytest.mark.django_db
def test_an_organisation_name_longer_than_allauths_app_name_still_configures(client):
    org = factories.OrganisationFactory(name="The Very Long Name of a Large Public Body " * 3)
    admin = factories.member(org, role=OrgRole.ADMIN, email="it@example.test")
    client.force_login(admin)
    assert client.post(settings_url(org), OIDC).status_code == 302
    assert org.name.startswith(SingleSignOn.objects.get(organisation=org).app.name)
