"""Invitations: accepted once, by the person invited, with the role and the name they
were given."""

import re

import pytest
from django.urls import reverse

from organisations.models import Invitation, Membership
from organisations.roles import OrgRole, Role, Side
from programmes.models import ProgrammeMember

from .. import factories
from ..mailbox import delivered, link_in


@pytest.mark.django_db
def test_an_existing_account_accepts_a_programme_invitation_with_its_role(
    client, org, programme, coordinator, django_capture_on_commit_callbacks
):
    existing = factories.member(factories.OrganisationFactory(), email="existing@example.test")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programmes:people", args=[org.slug, programme.pk]),
            {"email": "existing@example.test", "role": Role.PARTICIPANT, "side": Side.JUNIOR},
        )
    client.force_login(existing)
    client.post(link_in(delivered()[0]))
    role = ProgrammeMember.objects.get(programme=programme, user=existing)
    assert (role.role, role.side) == (Role.PARTICIPANT, Side.JUNIOR)
    # Now in two organisations: the switcher lists both.
    page = client.get(reverse("organisation", args=[org.slug])).content.decode()
    assert page.count('class="dropdown-item') >= 3


@pytest.mark.django_db
def test_an_invitation_cannot_be_accepted_by_someone_else_or_twice(client, org, admin_user):
    invitation = Invitation.objects.create(
        organisation=org, email="right@example.test", invited_by=admin_user
    )
    url = reverse("invitation_accept", args=[invitation.token])
    client.force_login(factories.UserFactory(email="wrong@example.test"))
    client.post(url)
    assert not Membership.objects.filter(
        organisation=org, user__email="wrong@example.test"
    ).exists()
    right = factories.UserFactory(email="right@example.test")
    client.force_login(right)
    client.post(url)
    assert Membership.objects.filter(organisation=org, user=right).count() == 1
    response = client.post(url, follow=True)
    assert "already been used" in response.content.decode()


@pytest.mark.django_db
def test_invite_form_rejects_an_existing_member(client, org, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("members", args=[org.slug]), {"email": admin_user.email, "role": "member"}
    )
    assert "already a member" in response.content.decode()


# A well-formed address of 256 characters: longer than any e-mail column holds (254).
LONG_ADDRESS = "a" * 60 + "@" + ".".join(letter * 63 for letter in "bcd") + ".org"


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["members", "programmes:people", "programmes:steering", "pool"])
def test_an_address_longer_than_254_characters_is_refused_next_to_its_field(
    client, programme, people, where
):
    """Django's e-mail field lets 320 characters through; the database then refused the
    invitation with a 500 on PostgreSQL, and SQLite stored what no mail server accepts."""
    assert len(LONG_ADDRESS) == 256
    org = programme.organisation
    if where == "members":
        client.force_login(factories.member(org, role=OrgRole.ADMIN))
        url, data = reverse("members", args=[org.slug]), {"role": "member"}
    else:
        client.force_login(people["coordinator"])
        name = "supervision:pool" if where == "pool" else where
        url = reverse(name, args=[org.slug, programme.pk])
        data = {"role": "participant", "side": "junior", "kind": "internal", "capacity": "3"}
    response = client.post(url, {**data, "email": LONG_ADDRESS, "full_name": "Ada Long"})
    assert response.status_code == 400
    assert "Ensure this value has at most 254 characters (it has 256)." in (
        response.content.decode()
    )
    assert not Invitation.objects.filter(email=LONG_ADDRESS).exists()


@pytest.mark.django_db
def test_an_invitation_greets_the_invitee_by_name_and_lists_show_names(
    client, org, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members", args=[org.slug]),
            {"email": "amara@example.test", "full_name": "Amara Diallo", "role": OrgRole.MEMBER},
        )
    assert delivered()[0].body.startswith("Hello Amara Diallo,")
    members = client.get(reverse("members", args=[org.slug])).content.decode()
    assert "Amara Diallo · amara@example.test" in members
    invitee = factories.UserFactory(email="amara@example.test", full_name="")
    client.force_login(invitee)
    client.post(link_in(delivered()[0]))
    invitee.refresh_from_db()
    assert invitee.full_name == "Amara Diallo"
    client.force_login(admin_user)
    members = client.get(reverse("members", args=[org.slug])).content.decode()
    row = '<td class="text-break">Amara Diallo</td><td class="text-break">amara@example.test</td>'
    assert row in members


@pytest.mark.django_db
def test_the_members_page_sends_a_waiting_invitation_again_or_cancels_it(
    client, org, admin_user, other_org
):
    from datetime import timedelta

    from django.utils import timezone

    from organisations.models import InvitationState
    from organisations.services import invitation_create

    from ..pages import page_text

    invitation = invitation_create(
        organisation=org, email="amara@example.test", full_name="Amara", invited_by=admin_user
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    theirs = invitation_create(
        organisation=other_org, email="x@example.test", invited_by=admin_user
    )
    resend = reverse("invitation_resend", args=[org.slug, invitation.pk])
    cancel = reverse("invitation_cancel", args=[org.slug, invitation.pk])
    client.force_login(factories.member(org))
    assert client.post(resend).status_code == 403
    assert client.post(cancel).status_code == 403

    client.force_login(admin_user)
    members = client.get(reverse("members", args=[org.slug]), {"q": "a"}).content.decode()
    assert resend in members and cancel in members
    for url in ("invitation_resend", "invitation_cancel"):
        assert client.post(reverse(url, args=[org.slug, theirs.pk])).status_code == 404
    back = reverse("members", args=[org.slug]) + "?q=a"
    response = client.post(resend, {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "The invitation to Amara is sent again" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert sorted(m.to[0] for m in delivered()) == ["amara@example.test"] * 2 + ["x@example.test"]
    response = client.post(cancel, follow=True)
    assert "The invitation to Amara is cancelled" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.CANCELLED
    assert "amara@example.test" not in response.content.decode()


@pytest.mark.django_db
def test_every_waiting_invitation_is_on_the_members_page_a_page_at_a_time(client, org, admin_user):
    for n in range(27):
        Invitation.objects.create(
            organisation=org, email=f"invitee{n:02}@example.test", invited_by=admin_user
        )
    client.force_login(admin_user)
    members = reverse("members", args=[org.slug])
    first = client.get(members).content.decode()
    assert "Waiting invitations (27)" in first
    assert first.count('data-testid="invitation"') == 25
    assert 'href="?invitations=2#invitations-heading"' in first
    second = client.get(f"{members}?invitations=2").content.decode()
    assert second.count('data-testid="invitation"') == 2
    shown = {
        address
        for page in (first, second)
        for address in re.findall(r"invitee\d\d@example\.test", page)
    }
    assert len(shown) == 27  # nobody is left off either page


@pytest.mark.django_db
def test_sending_sending_again_and_cancelling_an_invitation_are_audited_without_the_address(
    client, org, admin_user
):
    from organisations.models import AuditAction, AuditEntry

    client.force_login(admin_user)
    members = reverse("members", args=[org.slug])
    client.post(members, {"email": "amara@example.test", "full_name": "Amara", "role": "member"})
    invitation = Invitation.objects.get(email="amara@example.test")
    client.post(reverse("invitation_resend", args=[org.slug, invitation.pk]))
    client.post(reverse("invitation_cancel", args=[org.slug, invitation.pk]))
    entries = list(
        AuditEntry.objects.filter(organisation=org, subject_id=invitation.pk).order_by("pk")
    )
    assert [entry.action for entry in entries] == [
        AuditAction.INVITATION_SENT,
        AuditAction.INVITATION_RESENT,
        AuditAction.INVITATION_CANCELLED,
    ]
    assert {(entry.actor, entry.subject) for entry in entries} == {
        (admin_user, "invitation:member")
    }
    client.get(members)  # the three confirmations are shown, and gone
    log = client.get(reverse("audit_log", args=[org.slug])).content.decode()
    assert "Invitation sent again" in log and "amara@example.test" not in log
