"""Accounts: signing up (directly or through an invitation), verifying the address,
signing in and out, resetting a password, and the name everyone is known by."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from organisations.models import Invitation, Membership, User
from organisations.roles import OrgRole

from .. import factories
from ..mailbox import delivered, link_in


def sign_up(
    client,
    email: str,
    password2: str = "sturdy-pass-9876",
    next_url: str = "",
    full_name: str = "Ada Okafor",
):
    return client.post(
        reverse("account_signup") + (f"?next={next_url}" if next_url else ""),
        {
            "full_name": full_name,
            "email": email,
            "password1": "sturdy-pass-9876",
            "password2": password2,
        },
    )


@pytest.mark.django_db
def test_sign_up_requires_e_mail_verification_before_signing_in(client):
    response = sign_up(client, "New.Person@Example.test")
    assert response.status_code == 302
    assert User.objects.filter(email="new.person@example.test").exists()
    assert len(delivered()) == 1
    assert "confirm" in delivered()[0].subject.lower()
    # Not verified yet: signing in leads to the verification notice, not into the app.
    client.logout()
    login = client.post(
        reverse("account_login"),
        {"login": "new.person@example.test", "password": "sturdy-pass-9876"},
    )
    assert login["Location"] == reverse("account_email_verification_sent")
    client.get(link_in(delivered()[-1]))
    confirm = client.post(link_in(delivered()[-1]))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.test").verified


@pytest.mark.django_db
def test_sign_up_form_keeps_what_was_typed_and_explains_the_error(client):
    response = sign_up(client, "typed@example.test", password2="different-pass-1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="typed@example.test"' in html
    assert "invalid-feedback" in html


@pytest.mark.django_db
def test_sign_up_asks_for_a_name_and_keeps_it(client):
    nameless = sign_up(client, "nameless@example.test", full_name="   ")
    assert nameless.status_code == 200
    assert "Give the name your colleagues know you by." in nameless.content.decode()
    assert not User.objects.filter(email="nameless@example.test").exists()
    sign_up(client, "named@example.test", full_name="  Grace   Mensah ")
    assert User.objects.get(email="named@example.test").full_name == "Grace Mensah"


@pytest.mark.django_db
def test_password_reset_sends_a_link(client):
    user = factories.UserFactory(email="forgetful@example.test")
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(delivered()) == 1
    assert "/accounts/password/reset/key/" in delivered()[0].body


@pytest.mark.django_db
def test_sign_in_and_sign_out(client):
    user = factories.UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in (200, 302)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_rate_limited(client):
    cache.clear()
    user = factories.UserFactory()
    statuses = [
        client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong"}
        ).status_code
        for _ in range(12)
    ]
    final = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert statuses[0] == 200
    assert final.status_code == 429 or "Too many failed login attempts" in final.content.decode()
    cache.clear()


@pytest.mark.django_db
def test_a_person_without_a_name_gives_one_before_any_tenant_page_and_can_change_it(client, org):
    person = factories.member(org, full_name="")
    client.force_login(person)
    home = reverse("organisation", args=[org.slug])
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_name"))
    page = client.get(response["Location"])
    assert "Your name" in page.content.decode()
    too_long = client.post(response["Location"], {"full_name": "x" * 151, "next": home})
    assert too_long.status_code == 400 and "at most 150 characters" in too_long.content.decode()
    saved = client.post(response["Location"], {"full_name": "Kwame Boateng", "next": home})
    assert saved["Location"] == home
    person.refresh_from_db()
    assert person.full_name == "Kwame Boateng"
    assert client.get(home).status_code == 200
    assert "Kwame Boateng" in client.get(home).content.decode()  # the account menu
    elsewhere = client.post(reverse("account_name"), {"full_name": "K B", "next": "https://x.test"})
    assert elsewhere["Location"] == reverse("home")  # never sent off-site


@pytest.mark.django_db
def test_admin_invites_and_a_new_person_accepts_with_a_new_account(
    client, django_capture_on_commit_callbacks, org, admin_user
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members", args=[org.slug]),
            {"email": "invitee@example.test", "role": OrgRole.MEMBER},
        )
    assert len(delivered()) == 1
    invitation_link = link_in(delivered()[0])
    assert delivered()[0].alternatives  # an HTML part too
    client.logout()

    page = client.get(invitation_link)
    assert org.name in page.content.decode()
    # The invitation proved the address, so sign-up needs no second verification e-mail.
    signup = sign_up(client, "invitee@example.test", next_url=invitation_link)
    assert signup.status_code == 302
    accept = client.post(invitation_link)
    assert accept["Location"] == reverse("organisation_start", args=[org.slug])
    invitee = User.objects.get(email="invitee@example.test")
    assert Membership.objects.filter(user=invitee, organisation=org).exists()
    assert Invitation.objects.get(email="invitee@example.test").accepted_by == invitee
