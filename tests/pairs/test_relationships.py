"""Running the relationships: agreements, goals, meetings and reflections, steering
check-ins, confidential concerns, and what each role may see of them."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from organisations.roles import Role, Side
from pairs.models import Agreement, Meeting, Pair, PairStatus
from pairs.services import (
    PairsError,
    agreement_propose,
    checkin_log,
    concern_raise,
    pair_steward_set,
    selection_note_add,
)
from programmes.services import programme_member_add

from .. import factories
from ..factories import ALL_ROLES, log_meeting, publish_pair, pulse_answer
from ..mailbox import delivered
from ..urls import programme_url


@pytest.mark.django_db
def test_the_agreement_is_joint_and_either_partner_can_propose_a_change(client, pair, people):
    terms = {
        "meeting_frequency": "Every three weeks",
        "meeting_place": "The café on neutral ground",
        "confidentiality": "Nothing leaves the room",
        "ground_rules": "Equals; both learn",
    }
    client.force_login(people["senior"])
    client.post(programme_url("pairs:propose_agreement", pair.programme), terms)
    agreement = Agreement.objects.get(pair=pair)
    assert agreement.senior_confirmed_at and not agreement.agreed

    client.force_login(people["junior"])
    page = client.get(programme_url("pairs:my_pair", pair.programme)).content.decode()
    assert "waiting for you to confirm" in page
    client.post(programme_url("pairs:confirm_agreement", pair.programme, 1))
    agreement.refresh_from_db()
    assert agreement.agreed

    client.post(
        programme_url("pairs:propose_agreement", pair.programme),
        {**terms, "meeting_frequency": "Monthly"},
    )
    latest = Agreement.objects.filter(pair=pair).order_by("-version").first()
    assert (latest.version, latest.meeting_frequency, latest.agreed) == (2, "Monthly", False)
    assert latest.junior_confirmed_at and not latest.senior_confirmed_at


@pytest.mark.django_db
def test_confirming_never_agrees_a_version_the_partner_has_not_seen(client, pair, people):
    terms = {"meeting_place": "Online", "confidentiality": "Ours", "ground_rules": "Equals"}
    agreement_propose(
        pair=pair, by=people["senior"], values={"meeting_frequency": "Weekly", **terms}
    )
    agreement_propose(
        pair=pair, by=people["senior"], values={"meeting_frequency": "Daily", **terms}
    )
    client.force_login(people["junior"])
    response = client.post(programme_url("pairs:confirm_agreement", pair.programme, 1), follow=True)
    assert "Your partner has proposed a change since" in response.content.decode()
    assert not Agreement.objects.filter(pair=pair, junior_confirmed_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_refused_proposal_leaves_the_agreement_shown_beside_it_as_agreed(client, pair, people):
    terms = {"meeting_place": "Online", "confidentiality": "Ours", "ground_rules": "Equals"}
    agreement_propose(
        pair=pair, by=people["senior"], values={"meeting_frequency": "Weekly", **terms}
    )
    client.force_login(people["junior"])
    response = client.post(
        programme_url("pairs:propose_agreement", pair.programme),
        {**terms, "meeting_frequency": "Daily", "meeting_place": "p" * 201},
    )
    assert response.status_code == 400
    page = response.content.decode()
    current = page[page.index('data-testid="agreement-status"') : page.index("</dl>")]
    assert "<dd>Weekly</dd>" in current and "Daily" not in current
    assert 'value="Daily"' in page and "at most 200 characters" in page
    assert Agreement.objects.filter(pair=pair).count() == 1


@pytest.mark.django_db
def test_each_partner_sets_their_own_goals_and_the_page_has_no_mentor_or_mentee(
    client, pair, people
):
    client.force_login(people["senior"])
    client.post(programme_url("pairs:add_goal", pair.programme), {"text": "Hear it straight"})
    client.force_login(people["junior"])
    client.post(programme_url("pairs:add_goal", pair.programme), {"text": "See the politics"})
    page = client.get(programme_url("pairs:my_pair", pair.programme)).content.decode()
    assert "Hear it straight" in page and "See the politics" in page
    assert not re.search(r"\bment(or|ee)s?\b", page, re.IGNORECASE)
    theirs = pair.goals.get(text="Hear it straight")
    client.post(programme_url("pairs:remove_goal", pair.programme, theirs.pk))
    assert pair.goals.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_shared_notes_reach_both_partners_and_a_reflection_only_its_author(client, pair, people):
    client.force_login(people["senior"])
    bad = client.post(
        programme_url("pairs:log_meeting", pair.programme),
        {
            "date": "2099-01-01",
            "duration_minutes": "60",
            "mode": "virtual",
        },
    )
    assert bad.status_code == 400
    assert "Log a meeting once it has happened." in bad.content.decode()
    client.post(
        programme_url("pairs:log_meeting", pair.programme),
        {
            "date": timezone.localdate().isoformat(),
            "duration_minutes": "75",
            "mode": "in_person",
            "location": "Library café",
            "shared_notes": "We mapped the promotion process",
            "reflection": "I felt defensive about the panel",
        },
    )
    assert (
        client.get(programme_url("pairs:my_pair", pair.programme))
        .content.decode()
        .count("I felt defensive about the panel")
        == 1
    )
    client.force_login(people["junior"])
    page = client.get(programme_url("pairs:my_pair", pair.programme)).content.decode()
    assert "We mapped the promotion process" in page
    assert "I felt defensive" not in page


@pytest.mark.django_db
def test_a_refused_form_comes_back_on_the_partnership_page_as_it_was_typed(client, pair, people):
    meeting = log_meeting(pair, people["senior"])
    client.force_login(people["senior"])
    response = client.post(
        programme_url("pairs:log_meeting", pair.programme),
        {
            "date": "2099-01-01",
            "duration_minutes": "45",
            "mode": "virtual",
            "shared_notes": "We compared our first jobs",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert pair.junior.full_name in page and 'id="agreement-heading"' in page  # the whole page
    date_field = page[page.index('name="date"') - 300 : page.index('name="date"') + 400]
    assert 'value="2099-01-01"' in date_field and "Log a meeting once it has happened." in page
    assert "We compared our first jobs</textarea>" in page
    assert not Meeting.objects.filter(date=date(2099, 1, 1)).exists()

    reflection = client.post(
        programme_url("pairs:save_reflection", pair.programme, meeting.pk),
        {f"r{meeting.pk}-text": "x" * 10_001},
    )
    assert reflection.status_code == 400
    page = reflection.content.decode()
    assert "at most 10000 characters" in page
    assert re.search(r'<details class="small mb-2" open><summary>My private reflection', page)
    assert (
        client.post(
            programme_url("pairs:my_pair", pair.programme), {"date": "2099-01-01"}
        ).status_code
        == 405
    )


@pytest.mark.django_db
def test_a_check_in_is_logged_on_its_own_page_and_a_date_ahead_is_refused_keeping_the_note(
    client, pair, people
):
    log_meeting(pair, people["senior"], day=date(2026, 11, 3))
    client.force_login(people["steering"])
    listed = client.get(programme_url("pairs:my_pairs", pair.programme)).content.decode()
    assert "Meetings: 1, the latest on 3 Nov 2026" in listed
    form_url = programme_url("pairs:log_checkin", pair.programme, pair.pk)
    assert f"{form_url}?page=1" in listed
    page = client.get(form_url, {"page": "1"}).content.decode()
    assert f"Check in with {pair.senior.full_name} &amp; {pair.junior.full_name}" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page

    ahead = (timezone.localdate() + timedelta(days=2)).isoformat()
    refused = client.post(
        f"{form_url}?page=1", {"day": ahead, "status": "at_risk", "note": "Seems guarded"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Log a check-in once it has happened." in html
    assert "Seems guarded" in html and f'value="{ahead}"' in html
    assert not pair.checkins.exists()

    logged = client.post(
        f"{form_url}?page=1",
        {"day": timezone.localdate().isoformat(), "status": "at_risk", "note": "Seems guarded"},
    )
    assert logged.url == programme_url("pairs:my_pairs", pair.programme) + "?page=1"
    listed = client.get(logged.url).content.decode()
    assert f"Check-in with {escape(pair)} logged." in listed
    assert f"Last check-in: {timezone.localdate():%-d %b %Y} (at risk)" in listed


@pytest.mark.django_db
def test_a_steering_member_sees_only_names_agreement_and_dates_of_their_pairs(client, pair, people):
    log_meeting(pair, people["senior"], notes="Shared secret notes", reflection="Private thought")
    other_steering = factories.programme_person(pair.programme, Role.STEERING)
    client.force_login(people["steering"])
    page = client.get(programme_url("pairs:my_pairs", pair.programme)).content.decode()
    assert pair.senior.full_name in page and "none yet" in page
    assert "Shared secret notes" not in page and "Private thought" not in page
    client.post(
        programme_url("pairs:log_checkin", pair.programme, pair.pk),
        {
            "day": timezone.localdate().isoformat(),
            "status": "needs_support",
            "note": "They find it hard to find time",
        },
    )
    assert pair.checkins.get().status == "needs_support"
    client.force_login(other_steering)
    response = client.post(programme_url("pairs:log_checkin", pair.programme, pair.pk), {})
    assert response.status_code == 404
    client.force_login(people["coordinator"])
    detail = client.get(programme_url("pairs:pair", pair.programme, pair.pk)).content.decode()
    assert "They find it hard to find time" in detail


@pytest.mark.django_db
def test_a_confidential_concern_reaches_only_the_coordinator_who_ends_the_pair(
    client, pair, people
):
    client.force_login(people["junior"])
    client.post(
        programme_url("pairs:raise_concern", pair.programme),
        {"text": "My partner keeps cancelling"},
    )
    concern = pair.concerns.get()
    client.force_login(people["senior"])
    assert (
        "My partner keeps cancelling"
        not in client.get(programme_url("pairs:my_pair", pair.programme)).content.decode()
    )

    client.force_login(people["coordinator"])
    detail = client.get(programme_url("pairs:pair", pair.programme, pair.pk)).content.decode()
    assert "My partner keeps cancelling" in detail
    client.post(
        programme_url("pairs:act_on_concern", pair.programme, pair.pk, concern.pk),
        {
            f"k{concern.pk}-kind": "end_pair",
            f"k{concern.pk}-note": "Agreed",
        },
    )
    pair.refresh_from_db()
    concern.refresh_from_db()
    assert (pair.status, concern.status) == (PairStatus.ENDED_EARLY, "closed")
    dashboard = client.get(programme_url("pairs:pairs", pair.programme)).content.decode()
    assert "Ended early" in dashboard  # still counts in the figures
    assert [e.status for e in pair.history.all()][-1] == PairStatus.ENDED_EARLY


@pytest.mark.django_db
def test_no_confidential_object_reaches_any_other_role(client, pair, people):
    """Private reflection, pulse answer, concern, red flag and steering note, each tried from
    every role that must not see it: by URL, in every page's HTML and in the export."""
    programme = pair.programme
    meeting = log_meeting(pair, people["senior"], reflection="REFLECTION-SECRET")
    pulse_answer(meeting, people["senior"], 2, comment="PULSE-SECRET")
    concern_raise(pair=pair, by=people["junior"], text="CONCERN-SECRET")
    selection_note_add(
        profile=pair.senior,
        author=people["coordinator"],
        text="REDFLAG-SECRET",
        red_flag="reluctant",
    )
    checkin_log(
        pair=pair,
        by=people["steering"],
        day=timezone.localdate(),
        status="at_risk",
        note="STEER-SECRET",
    )
    may_see = {
        "REFLECTION-SECRET": {"senior"},
        "PULSE-SECRET": set(),
        "CONCERN-SECRET": {"coordinator"},
        "REDFLAG-SECRET": {"coordinator"},
        "STEER-SECRET": {"coordinator"},
    }
    pages = [
        programme_url(f"pairs:{name}", programme)
        for name in [
            "pairs",
            "my_pair",
            "my_profile",
            "my_pairs",
            "candidates",
            "review",
            "matching",
            "export",
        ]
    ]
    pages += [
        programme_url("pairs:pair", programme, pair.pk),
        programme_url("pairs:candidate", programme, pair.senior.pk),
        programme_url("programmes:timeline", programme),
        reverse("notifications:inbox", args=[programme.organisation.slug]),
    ]
    for who in ALL_ROLES:
        client.force_login(people[who])
        for page in pages:
            html = client.get(page).content.decode()
            for secret, allowed in may_see.items():
                if who not in allowed:
                    assert secret not in html, (who, page, secret)
    client.force_login(people["coordinator"])
    export = client.get(programme_url("pairs:export", programme)).content.decode()
    assert pair.senior.full_name in export
    assert not any(secret in export for secret in may_see)
    for message in delivered():
        assert not any(secret in message.body for secret in may_see)


@pytest.mark.django_db
def test_another_organisations_pair_is_never_reachable(client, pair, people):
    theirs = factories.programme(factories.OrganisationFactory())
    their_coordinator = theirs.members.get().user
    their_pair = publish_pair(
        theirs,
        factories.member(theirs.organisation),
        factories.member(theirs.organisation),
        their_coordinator,
    )
    client.force_login(people["coordinator"])
    assert client.get(programme_url("pairs:pair", pair.programme, their_pair.pk)).status_code == 404


@pytest.mark.django_db
def test_bad_ids_are_not_found_and_a_partner_cannot_steward_their_own_pair(client, pair, people):
    others = publish_pair(
        pair.programme,
        factories.programme_person(pair.programme, Role.PARTICIPANT, Side.SENIOR),
        factories.programme_person(pair.programme, Role.PARTICIPANT, Side.JUNIOR),
        people["coordinator"],
    )
    their_meeting = log_meeting(others, others.senior.user)
    their_goal = others.goals.create(owner=others.senior.user, text="Theirs")
    client.force_login(people["senior"])
    for name, args in [
        ("remove_goal", [their_goal.pk]),
        ("remove_goal", [99999]),
        ("send_pulse", [their_meeting.pk]),
        ("save_reflection", [their_meeting.pk]),
        ("confirm_agreement", [1]),  # no agreement yet
    ]:
        response = client.post(programme_url(f"pairs:{name}", pair.programme, *args), {"text": "x"})
        assert response.status_code == 404, name
    assert others.goals.count() == 1 and not their_meeting.pulses.exists()

    programme_member_add(programme=pair.programme, user=people["senior"], role=Role.STEERING)
    with pytest.raises(PairsError):
        pair_steward_set(pair=pair, steering_member=people["senior"])


@pytest.mark.django_db
def test_every_meeting_is_on_the_partners_page_twenty_to_a_page_newest_first(client, pair, people):
    today = timezone.localdate()
    for weeks_ago in range(23):
        log_meeting(
            pair,
            people["senior"],
            notes=f"Notes of week {weeks_ago}",
            day=today - timedelta(weeks=weeks_ago),
        )
    client.force_login(people["senior"])
    partnership = programme_url("pairs:my_pair", pair.programme)
    first = client.get(partnership).content.decode()
    assert first.count('data-testid="meeting"') == 20
    assert "Page 1 of 2" in first and "Notes of week 0" in first and "Notes of week 20" not in first
    second = client.get(f"{partnership}?meetings=2").content.decode()
    assert second.count('data-testid="meeting"') == 3
    assert "Notes of week 22" in second and "Notes of week 0" not in second

    oldest = Meeting.objects.get(pair=pair, shared_notes="Notes of week 22")
    focus = f"?meetings=2&amp;meeting={oldest.pk}#meeting-{oldest.pk}"
    assert focus in second  # its link keeps the page it is on
    focused = client.get(f"{partnership}?meetings=2&meeting={oldest.pk}").content.decode()
    assert reverse_reflection(pair, oldest) + "?meetings=2" in focused
    saved = client.post(
        reverse_reflection(pair, oldest) + "?meetings=2",
        {f"r{oldest.pk}-text": "Looking back, the first meeting set the tone"},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("?meetings=2")
    back = client.get(saved["Location"]).content.decode()
    assert "My private reflection: written" in back


def reverse_reflection(pair, meeting) -> str:
    programme = pair.programme
    return reverse(
        "pairs:save_reflection", args=[programme.organisation.slug, programme.pk, meeting.pk]
    )


@pytest.mark.django_db
def test_a_steering_member_finds_a_pair_by_name_or_its_overdue_check_in_and_returns_there(
    client, programme, people, pair
):
    other = factories.publish_pair(
        programme,
        factories.member(programme.organisation, full_name="Zadie Quartey"),
        factories.programme_person(programme, "participant", "junior"),
        people["coordinator"],
    )
    pair_steward_set(pair=other, steering_member=people["steering"])
    Pair.objects.filter(pk=other.pk).update(
        published_at=timezone.now() - timedelta(weeks=programme.checkin_weeks + 1)
    )
    client.force_login(people["steering"])
    url = programme_url("pairs:my_pairs", programme)

    def listed(**query) -> str:
        return client.get(url, query).content.decode()

    assert listed().count('data-testid="steering-pair"') == 2
    found = listed(name="quartey")
    assert found.count('data-testid="steering-pair"') == 1 and "Zadie Quartey" in found
    overdue = listed(overdue="on")
    assert overdue.count('data-testid="steering-pair"') == 1 and "Zadie Quartey" in overdue
    assert "No pair matches." in listed(name="nobody by this name")
    assert "at most 100 characters" in listed(name="x" * 101)

    form_url = programme_url("pairs:log_checkin", programme, other.pk)
    assert f"{form_url}?overdue=on&amp;page=1" in overdue
    logged = client.post(
        f"{form_url}?overdue=on&page=1",
        {"day": timezone.localdate().isoformat(), "status": "on_track", "note": ""},
    )
    assert logged.url == f"{url}?overdue=on&page=1"  # back to the list as it was filtered
    assert 'data-testid="steering-pair"' not in listed(overdue="on")  # checked in: not overdue
