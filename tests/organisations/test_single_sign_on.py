"""Single sign-on end to end: an organisation's admin configures OpenID Connect or SAML on its
sign-in page, pointing at an identity provider this test starts on this machine (oidc-provider-mock,
built on authlib, for OpenID Connect; pysaml2's IdP for SAML). People of its e-mail domain are sent
there when they sign in, and come back signed in, joined, or refused with a reason. The test client
plays the browser: it follows each redirect to the identity provider, signs in there, and brings
the answer back; the app checks it (and, for OpenID Connect, exchanges the code with the provider
over HTTP) as it would in production."""

from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import pytest
import requests
from django.urls import reverse

from organisations.models import Membership, User
from organisations.roles import OrgRole

from .. import factories, saml_idp
from ..conftest import skip_or_fail

DOMAIN = "example.test"


@pytest.fixture
def identity_provider(monkeypatch):
    """An OpenID Connect provider on localhost, for this test only. authlib refuses plain http
    unless told that this is a test."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def configured(client, org, identity_provider):
    """The admin sets up single sign-on through the organisation's sign-in page."""

    def configure(*, allow_join: bool) -> None:
        admin = factories.member(org, role=OrgRole.ADMIN, email=f"it@{DOMAIN}")
        client.force_login(admin)
        form = {
            "part": "sso",
            "protocol": "openid_connect",
            "domains": DOMAIN,
            "server_url": identity_provider,
            "client_id": "mentoring-app",
            "secret": "a-client-secret",
        }
        if allow_join:
            form["allow_join"] = "on"
        response = client.post(reverse("sign_in_settings", args=[org.slug]), form)
        assert response.status_code == 302, response.content.decode()[:3000]
        client.logout()

    return configure


def sign_in_at_the_identity_provider(client, email: str, claims: dict) -> object:
    """Sign in with `email` on the app's sign-in page, as a person would, and go through the
    identity provider; the app's answer to the provider's redirect back."""
    start = client.post(reverse("account_login"), {"login": email, "password": "not-asked"})
    assert start.status_code == 302
    login_url = start["Location"]
    assert login_url.startswith("/accounts/oidc/")
    page = client.get(login_url)  # allauth asks before it hands the person over
    assert page.status_code == 200
    to_provider = client.post(login_url)
    assert to_provider.status_code == 302
    authorize = to_provider["Location"]
    assert authorize.startswith("http://localhost:")
    # The person signs in at their identity provider, which knows them by these claims.
    base = f"{urlsplit(authorize).scheme}://{urlsplit(authorize).netloc}"
    requests.put(f"{base}/users/{email}", json={"email": email, **claims}, timeout=5)
    consent = requests.post(authorize, data={"sub": email}, allow_redirects=False, timeout=5)
    assert consent.status_code == 302, consent.text[:2000]
    back = urlsplit(consent.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


VERIFIED = {"email_verified": True, "name": "Ada Okafor"}


@pytest.mark.django_db
def test_a_member_with_a_password_account_signs_in_through_the_identity_provider(
    client, org, configured
):
    configured(allow_join=False)
    ada = factories.member(org, email=f"ada@{DOMAIN}", full_name="Ada Okafor")
    # The provider vouches for its own domain whether or not it says "email_verified".
    response = sign_in_at_the_identity_provider(client, ada.email, {"name": "Ada Okafor"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)
    assert client.get(reverse("organisation", args=[org.slug])).status_code == 200
    assert User.objects.filter(email=ada.email).count() == 1


@pytest.mark.django_db
def test_a_newcomer_joins_as_a_member_on_first_sign_in_when_the_admin_allows_it(
    client, org, configured
):
    configured(allow_join=True)
    response = sign_in_at_the_identity_provider(client, f"grace@{DOMAIN}", VERIFIED)
    assert response.status_code == 302
    grace = User.objects.get(email=f"grace@{DOMAIN}")
    assert grace.full_name == "Ada Okafor"  # the name the identity provider gave
    assert Membership.objects.get(user=grace, organisation=org).role == OrgRole.MEMBER
    assert client.get(reverse("organisation", args=[org.slug])).status_code == 200


@pytest.mark.django_db
def test_a_newcomer_is_refused_with_a_reason_when_the_admin_does_not_allow_joining(
    client, org, configured
):
    configured(allow_join=False)
    response = sign_in_at_the_identity_provider(client, f"grace@{DOMAIN}", VERIFIED)
    assert response.status_code == 403
    assert "Ask one of its admins for an invitation" in response.content.decode()
    assert not User.objects.filter(email=f"grace@{DOMAIN}").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_someone_of_another_organisation_is_refused_unless_joining_is_allowed(
    client, org, configured
):
    configured(allow_join=False)
    other = factories.OrganisationFactory()
    lin = factories.member(other, email=f"lin@{DOMAIN}")
    response = sign_in_at_the_identity_provider(client, lin.email, VERIFIED)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=lin, organisation=org).exists()


@pytest.mark.django_db
def test_an_address_outside_the_organisations_domains_is_refused(client, org, configured):
    """The identity provider speaks for its organisation's domains only: it cannot sign anyone
    in as an address elsewhere."""
    configured(allow_join=True)
    victim = factories.member(factories.OrganisationFactory(), email="victim@elsewhere.test")
    start = client.post(reverse("account_login"), {"login": f"x@{DOMAIN}", "password": "x"})
    login_url = start["Location"]
    authorize = client.post(login_url)["Location"]
    base = f"{urlsplit(authorize).scheme}://{urlsplit(authorize).netloc}"
    requests.put(
        f"{base}/users/mallory",
        json={"email": victim.email, "email_verified": True, "name": "Mallory"},
        timeout=5,
    )
    consent = requests.post(authorize, data={"sub": "mallory"}, allow_redirects=False, timeout=5)
    back = urlsplit(consent.headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert "signs in only people of its own e-mail domains" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_e_mail_first_page_sends_people_of_the_domain_to_their_provider(
    client, org, configured
):
    configured(allow_join=True)
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("single_sign_on_start") in page
    assert org.name not in page  # no organisation is named to a visitor
    response = client.post(reverse("single_sign_on_start"), {"email": f"grace@{DOMAIN}"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/oidc/")
    unknown = client.post(reverse("single_sign_on_start"), {"email": "grace@elsewhere.test"})
    assert unknown.status_code == 400
    assert "Sign in with your password instead" in unknown.content.decode()


# --- SAML 2.0 ---------------------------------------------------------------------------------


@pytest.fixture
def saml_identity_provider(tmp_path):
    if saml_idp.xmlsec_binary() is None:
        skip_or_fail("pysaml2 signs with xmlsec1: apt-get install xmlsec1")
    return saml_idp.IdentityProvider(tmp_path)


@pytest.fixture
def saml_configured(client, org, saml_identity_provider):
    def configure(*, allow_join: bool) -> None:
        admin = factories.member(org, role=OrgRole.ADMIN, email=f"it@{DOMAIN}")
        client.force_login(admin)
        form = {
            "part": "sso",
            "protocol": "saml",
            "domains": DOMAIN,
            "entity_id": saml_idp.ENTITY_ID,
            "sso_url": saml_idp.SSO_URL,
            "x509cert": saml_identity_provider.certificate_pem,
        }
        if allow_join:
            form["allow_join"] = "on"
        response = client.post(reverse("sign_in_settings", args=[org.slug]), form)
        assert response.status_code == 302, response.content.decode()[:3000]
        page = client.get(reverse("sign_in_settings", args=[org.slug])).content.decode()
        assert "/accounts/saml/" in page  # what to give the identity provider
        client.logout()

    return configure


def sign_in_through_saml(client, org, idp, email: str) -> object:
    # As a browser sends it: python3-saml reads it, and refuses a one-word host ("testserver").
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    start = client.post(reverse("account_login"), {"login": email, "password": "not-asked"})
    login_url = start["Location"]
    assert login_url.startswith(f"/accounts/saml/{org.slug}/login/")
    to_provider = client.post(login_url)
    assert to_provider.status_code == 302
    authn_request = parse_qs(urlsplit(to_provider["Location"]).query)["SAMLRequest"][0]
    sp_metadata = client.get(
        reverse("saml_metadata", kwargs={"organization_slug": org.slug})
    ).content.decode()
    acs, saml_response = idp.answer(
        sp_metadata=sp_metadata,
        saml_request=authn_request,
        email=email,
        given="Grace",
        family="Hopper",
    )
    to_finish = client.post(urlsplit(acs).path, {"SAMLResponse": saml_response})
    assert to_finish.status_code == 302
    return client.get(to_finish["Location"])


@pytest.mark.django_db
def test_a_newcomer_joins_through_the_organisations_saml_identity_provider(
    client, org, saml_configured, saml_identity_provider
):
    saml_configured(allow_join=True)
    response = sign_in_through_saml(client, org, saml_identity_provider, f"grace@{DOMAIN}")
    assert response.status_code == 302, response.content.decode()[:3000]
    grace = User.objects.get(email=f"grace@{DOMAIN}")
    assert grace.full_name == "Grace Hopper"
    assert Membership.objects.get(user=grace, organisation=org).role == OrgRole.MEMBER
    assert client.get(reverse("organisation", args=[org.slug])).status_code == 200


@pytest.mark.django_db
def test_a_saml_response_signed_by_another_key_signs_nobody_in(
    client, org, saml_configured, tmp_path
):
    saml_configured(allow_join=True)
    impostor_folder = tmp_path / "impostor"
    impostor_folder.mkdir()
    impostor = saml_idp.IdentityProvider(impostor_folder)
    response = sign_in_through_saml(client, org, impostor, f"grace@{DOMAIN}")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email=f"grace@{DOMAIN}").exists()
    assert response.status_code == 401  # allauth's "Third-Party Login Failure"
