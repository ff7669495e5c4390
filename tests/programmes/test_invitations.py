"""Invitations where the programme's people are managed: the People and the Steering group pages
list whom the programme invited and where each invitation stands; who manages people sends one
again (a fresh expiry, one e-mail) or cancels it (its link stops working); the steering group
counts "N joined, M invited"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, InvitationState, Membership
from organisations.roles import Role, Side
from organisations.services import invitation_accept, invitation_cancel
from pairs.models import Pair, Profile
from programmes.models import ProgrammeMember
from programmes.services import participant_invitations_create, programme_invitation_create
from programmes.services.invitations import Invitee

from .. import factories
from ..mailbox import delivered, link_in
from ..pages import page_text, queries_for
from ..urls import programme_url


def invite(programme, email: str, role: str = Role.STEERING, **fields) -> Invitation:
    return programme_invitation_create(
        programme=programme,
        email=email,
        invited_by=programme.members.filter(role=Role.COORDINATOR).first().user,
        role=role,
        **fields,
    )


def expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )


def one_in_every_state(programme) -> dict[str, Invitation]:
    invited = invite(programme, "ina@x.test", full_name="Ina Invited", stakeholder_group="HR")
    expired = invite(programme, "eli@x.test", full_name="Eli Expired")
    expire(expired)
    joined = invite(programme, "jo@x.test", full_name="Jo Joined")
    invitation_accept(
        invitation=joined, user=factories.UserFactory(email="jo@x.test", full_name="Jo Joined")
    )
    cancelled = invite(programme, "cy@x.test", full_name="Cy Cancelled")
    invitation_cancel(invitation=cancelled, by=joined.invited_by)
    return {"invited": invited, "expired": expired, "joined": joined, "cancelled": cancelled}


def rows_of(html: str) -> list[str]:
    return [row.split("</tr>")[0] for row in html.split('data-testid="invitation"')[1:]]


def resend_url(programme, invitation) -> str:
    return programme_url("programmes:invitation_resend", programme, invitation.pk)


def cancel_url(programme, invitation) -> str:
    return programme_url("programmes:invitation_cancel", programme, invitation.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["programmes:people", "programmes:steering"])
def test_both_pages_list_every_invitation_with_its_state_in_words(client, programme, page):
    invitations = one_in_every_state(programme)
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    response = client.get(programme_url(page, programme))
    text = page_text(response)
    today = timezone.localdate()
    assert f"Invited {today:%-d %b %Y}; open until {today + timedelta(days=14):%-d %b %Y}" in text
    assert f"Expired {today - timedelta(days=1):%-d %b %Y} (invited {today:%-d %b %Y})" in text
    assert f"Joined {today:%-d %b %Y}" in text
    assert f"Cancelled {today:%-d %b %Y}" in text
    rows = {
        row.split('data-state="')[1].split('"')[0]: row
        for row in rows_of(response.content.decode())
    }
    assert set(rows) == set(InvitationState.values)
    for state, invitation in invitations.items():
        assert invitation.email in rows[state]
        # Only what still waits for an answer can be sent again or cancelled.
        waiting = state in ("invited", "expired")
        assert (resend_url(programme, invitation) in rows[state]) is waiting
        assert (cancel_url(programme, invitation) in rows[state]) is waiting
    if page == "programmes:steering":
        assert "Represents HR" in rows["invited"]
    else:
        assert "Steering-group member, HR" in rows["invited"]


@pytest.mark.django_db
def test_the_list_filters_by_state_and_keeps_the_pages_own_filters(client, programme):
    one_in_every_state(programme)
    invite(programme, "pat@x.test", role=Role.PARTICIPANT, side=Side.JUNIOR, full_name="Pat")
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    url = programme_url("programmes:people", programme)
    for state, names in {
        "invited": ["Ina Invited", "Pat"],
        "expired": ["Eli Expired"],
        "joined": ["Jo Joined"],
        "cancelled": ["Cy Cancelled"],
    }.items():
        listed = rows_of(client.get(url, {"state": state}).content.decode())
        assert len(listed) == len(names), state
        assert all(any(name in row for row in listed) for name in names), state
    # The page's role filter narrows the invitations as it narrows the people.
    participants = client.get(url, {"role": Role.PARTICIPANT, "state": "invited"})
    listed = rows_of(participants.content.decode())
    assert len(listed) == 1 and "Participant (junior side)" in listed[0]
    # The counts follow the filter.
    assert "All 1 Invited 1 Expired 0 Joined 0 Cancelled 0" in page_text(participants)
    nobody = client.get(url, {"q": "nobody-like-this"})
    assert "Nobody has been invited who matches." in page_text(nobody)
    # A state that is not one shows them all.
    assert len(rows_of(client.get(url, {"state": "bogus"}).content.decode())) == 5


@pytest.mark.django_db
def test_the_list_is_paginated(client, programme):
    participant_invitations_create(
        programme=programme,
        invited_by=programme.members.get(role=Role.COORDINATOR).user,
        invitees=[Invitee(f"p{n}@x.test", f"Person {n}", Side.JUNIOR) for n in range(30)],
    )
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    url = programme_url("programmes:people", programme)
    first = client.get(url, {"state": "invited"}).content.decode()
    assert len(rows_of(first)) == 25
    assert 'aria-label="Pages of invitations"' in first
    assert "state=invited&amp;invited_page=2#invited" in first
    second = client.get(url, {"state": "invited", "invited_page": 2}).content.decode()
    assert len(rows_of(second)) == 5


@pytest.mark.django_db
def test_resending_sends_one_email_with_a_fresh_expiry_each_time(client, programme):
    invitation = invite(programme, "eli@x.test", full_name="Eli Expired")
    assert len(delivered()) == 1
    expire(invitation)
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    back = programme_url("programmes:steering", programme) + "?state=expired"
    response = client.post(resend_url(programme, invitation), {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    invitation.refresh_from_db()
    until = timezone.localdate() + timedelta(days=14)
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert invitation.state == InvitationState.INVITED
    assert (
        f"The invitation to Eli Expired is sent again; its link works until {until:%-d %B %Y}."
        in (page_text(response))
    )
    sent = delivered()
    assert [m.to for m in sent] == [["eli@x.test"], ["eli@x.test"]]
    assert f"it expires on {until:%-d %B %Y}" in sent[1].body
    assert link_in(sent[1]) == link_in(sent[0])  # the same link, working again
    client.post(resend_url(programme, invitation))
    assert len(delivered()) == 3  # once per resend
    page = client.get(programme_url("programmes:people", programme))
    assert f"sent again {timezone.localdate():%-d %b %Y}" in page_text(page)


@pytest.mark.django_db
def test_cancelling_stops_the_link_and_says_so_to_whoever_opens_it(client, programme):
    invitation = invite(programme, "cy@x.test", full_name="Cy Cancelled")
    link = link_in(delivered()[0])
    coordinator = programme.members.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    response = client.post(cancel_url(programme, invitation), follow=True)
    assert response.redirect_chain[-1][0] == programme_url("programmes:people", programme)
    assert "The invitation to Cy Cancelled is cancelled; its link no longer works." in page_text(
        response
    )
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.CANCELLED and invitation.cancelled_by == coordinator

    client.logout()
    opened = client.get(link)
    assert opened.status_code == 410
    assert "This invitation was cancelled on" in page_text(opened)
    assert "Create an account" not in page_text(opened)
    invitee = factories.UserFactory(email="cy@x.test")
    client.force_login(invitee)
    assert client.post(link).status_code == 410
    assert not Membership.objects.filter(user=invitee).exists()
    assert not ProgrammeMember.objects.filter(user=invitee).exists()

    # Neither sent again nor cancelled twice; nothing more is e-mailed.
    client.force_login(coordinator)
    again = client.post(resend_url(programme, invitation), follow=True)
    assert "The invitation to Cy Cancelled was cancelled; invite them again." in page_text(again)
    assert len(delivered()) == 1
    # It no longer stands in the way of a new invitation to the same address.
    client.post(
        programme_url("programmes:steering", programme),
        {"email": "cy@x.test", "stakeholder_group": "HR"},
    )
    assert Invitation.objects.filter(email="cy@x.test").waiting().count() == 1


@pytest.mark.django_db
def test_a_used_invitation_is_neither_sent_again_nor_cancelled(client, programme):
    invitation = invite(programme, "jo@x.test", full_name="Jo Joined")
    invitation_accept(invitation=invitation, user=factories.UserFactory(email="jo@x.test"))
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    for url in (resend_url(programme, invitation), cancel_url(programme, invitation)):
        response = client.post(url, follow=True)
        assert "Jo Joined has already accepted this invitation." in page_text(response)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.JOINED and invitation.times_sent == 1
    assert len(delivered()) == 1


@pytest.mark.django_db
def test_a_second_invitation_to_the_same_role_waits_for_the_first(client, programme):
    invite(programme, "ina@x.test")
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    response = client.post(
        programme_url("programmes:people", programme),
        {"email": "INA@x.test", "role": Role.STEERING},
    )
    assert response.status_code == 400
    assert "An invitation to this address for this role is already waiting." in page_text(response)
    steering = client.post(
        programme_url("programmes:steering", programme),
        {"email": "ina@x.test", "stakeholder_group": "HR"},
    )
    assert steering.status_code == 400
    assert Invitation.objects.filter(email="ina@x.test").count() == 1
    # Another role is another invitation.
    client.post(
        programme_url("programmes:people", programme),
        {"email": "ina@x.test", "role": Role.SUPERVISOR},
    )
    assert Invitation.objects.filter(email="ina@x.test").count() == 2


@pytest.mark.django_db
def test_the_organisation_can_invite_again_once_an_invitation_is_cancelled(client, org, admin_user):
    programme = factories.programme(org)
    invitation = invite(programme, "cy@x.test")
    client.force_login(admin_user)
    url = reverse("members", args=[org.slug])
    waiting = client.post(url, {"email": "cy@x.test", "role": "member"})
    assert "An invitation to this address is already waiting." in page_text(waiting)
    invitation_cancel(invitation=invitation, by=admin_user)
    assert "cy@x.test" not in page_text(client.get(url))  # no longer among the waiting ones
    client.post(url, {"email": "cy@x.test", "role": "member"})
    assert Invitation.objects.filter(email="cy@x.test").waiting().count() == 1


@pytest.mark.django_db
def test_a_cancelled_participant_leaves_selection_unless_already_in_a_pair(client, programme):
    coordinator = programme.members.get(role=Role.COORDINATOR).user
    ann = invite(programme, "ann@x.test", role=Role.PARTICIPANT, side=Side.JUNIOR)
    ben = invite(programme, "ben@x.test", role=Role.PARTICIPANT, side=Side.SENIOR)
    assert Profile.objects.filter(programme=programme, user__isnull=True).count() == 2
    client.force_login(coordinator)
    client.post(cancel_url(programme, ann))
    assert not Profile.objects.filter(email="ann@x.test").exists()

    senior = Profile.objects.get(email="ben@x.test")
    junior = factories.selected_cohort(programme, 0, 1)[0]
    Pair.objects.create(programme=programme, senior=senior, junior=junior)
    refused = client.post(cancel_url(programme, ben), follow=True)
    assert "is in a pair. Change the pair on the matching page first" in page_text(refused)
    ben.refresh_from_db()
    assert ben.state == InvitationState.INVITED
    assert Profile.objects.filter(email="ben@x.test").exists()


@pytest.mark.django_db
def test_a_participant_invited_twice_keeps_their_profile_when_one_invitation_is_cancelled(
    programme,
):
    coordinator = programme.members.get(role=Role.COORDINATOR).user
    first = invite(programme, "ann@x.test", role=Role.PARTICIPANT, side=Side.JUNIOR)
    invite(programme, "ann@x.test", role=Role.STEERING)
    participant_invitations_create(
        programme=programme,
        invited_by=coordinator,
        invitees=[Invitee("ann@x.test", "Ann", Side.JUNIOR)],
    )
    invitation_cancel(invitation=first, by=coordinator)
    assert Profile.objects.filter(email="ann@x.test").exists()


@pytest.mark.django_db
def test_the_steering_group_counts_who_joined_and_who_is_invited(client, programme, people):
    invite(programme, "ina@x.test")
    expire(invite(programme, "eli@x.test"))
    invite(programme, "sup@x.test", role=Role.SUPERVISOR)  # not the steering group's
    client.force_login(people["coordinator"])
    steering = page_text(client.get(programme_url("programmes:steering", programme)))
    assert "1 joined, 1 invited ; 1 invitation expired." in steering
    assert "The steering group has 1 member and 1 invited; at least 4 are needed" in steering
    readiness = page_text(client.get(programme_url("programmes:readiness", programme)))
    assert "Steering group formed (4-10 members; 1 joined, 1 invited)" in readiness


@pytest.mark.django_db
def test_who_does_not_manage_people_sees_invitees_names_but_never_their_addresses(
    client, programme, people
):
    invite(programme, "ina.address@x.test", full_name="Ina Invited")
    invite(programme, "nameless.address@x.test")
    for who in ("steering", "supervisor", "executive"):
        client.force_login(people[who])
        response = client.get(programme_url("programmes:steering", programme))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ina Invited" in html and "Name not given" in html, who
        assert "address@x.test" not in html, who
        assert "invitation_resend" not in html and "/resend/" not in html, who
    client.force_login(people["org_admin"])
    assert (
        "ina.address@x.test"
        in client.get(programme_url("programmes:steering", programme)).content.decode()
    )


@pytest.mark.django_db
def test_resend_and_cancel_are_for_who_manages_people_and_this_programmes_invitations(
    client, org, other_org, programme, people
):
    mine = invite(programme, "ina@x.test")
    other_programme = factories.programme(org, name="Another")
    theirs = invite(other_programme, "eli@x.test")
    elsewhere = invite(factories.programme(other_org), "cy@x.test")
    org_only = Invitation.objects.create(
        organisation=org, email="org@x.test", invited_by=people["org_admin"]
    )
    for who in ("steering", "senior", "supervisor", "executive", "no_role"):
        client.force_login(people[who])
        for url in (resend_url(programme, mine), cancel_url(programme, mine)):
            assert client.post(url).status_code == 403, (who, url)
            assert client.get(url).status_code in (403, 405), (who, url)
    for who in ("coordinator", "org_admin"):
        client.force_login(people[who])
        for invitation in (theirs, elsewhere, org_only):
            for url in (resend_url(programme, invitation), cancel_url(programme, invitation)):
                assert client.post(url).status_code == 404, (who, invitation.email)
        assert client.get(resend_url(programme, mine)).status_code == 405
    client.force_login(people["outsider"])
    assert client.post(resend_url(programme, mine)).status_code == 404
    client.logout()
    assert client.post(resend_url(programme, mine)).status_code == 302
    assert Invitation.objects.filter(times_sent=1, cancelled_at__isnull=True).count() == 4


@pytest.mark.django_db
def test_the_button_leads_back_only_to_the_programmes_own_lists(client, programme):
    invitation = invite(programme, "ina@x.test")
    client.force_login(programme.members.get(role=Role.COORDINATOR).user)
    people = programme_url("programmes:people", programme)
    for target in ("https://evil.test/", "//evil.test/o/", "/accounts/logout/", "javascript:x"):
        response = client.post(resend_url(programme, invitation), {"next": target})
        assert response["Location"] == people, target
    steering = programme_url("programmes:steering", programme) + "?state=invited&invited_page=1"
    response = client.post(resend_url(programme, invitation), {"next": steering})
    assert response["Location"] == steering


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["programmes:people", "programmes:steering"])
def test_the_pages_take_the_same_queries_for_2_invitations_and_20(client, org, page):
    counts = []
    for total in (2, 20):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        for n in range(total):
            invitation = invite(programme, f"p{n}@x.test", full_name=f"Person {n}")
            if n % 4 == 1:
                expire(invitation)
            elif n % 4 == 2:
                invitation_accept(
                    invitation=invitation, user=factories.UserFactory(email=f"p{n}@x.test")
                )
            elif n % 4 == 3:
                invitation_cancel(invitation=invitation, by=coordinator)
        counts.append(queries_for(client, coordinator, programme_url(page, programme)))
    assert counts[0] == counts[1]
