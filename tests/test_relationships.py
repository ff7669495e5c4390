"""Running the relationships: agreements, meetings, pulses, check-ins, concerns, dashboard."""

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from notifications.services import reminders_record, reminders_send_due
from organisations.roles import Role, Side
from pairs.models import Agreement, Meeting, Pair, PairStatus, Profile, Pulse
from pairs.pulse import COMMENT_PRIVACY, FLAGS_NOTE, PULSE_PRIVACY, PulseAnswers, pulse_flags
from pairs.services import (
    PairsError,
    agreement_propose,
    checkin_log,
    concern_raise,
    decision_record,
    matching_publish,
    matching_run,
    meeting_log,
    pair_steward_set,
    participant_add,
    pulse_record,
    selection_note_add,
)
from programmes.services import programme_member_add

from . import factories
from .factories import ALL_ROLES
from .mailbox import delivered


def url(name: str, programme, *args: object) -> str:
    return reverse(f"pairs:{name}", args=[programme.organisation.slug, programme.pk, *args])


def publish_pair(programme, senior_user, junior_user, coordinator) -> Pair:
    for user, side, grade in ((senior_user, Side.SENIOR, 9), (junior_user, Side.JUNIOR, 3)):
        profile = participant_add(programme=programme, user=user, side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    return Pair.objects.select_related("senior", "junior").get(
        programme=programme, senior__user=senior_user
    )


@pytest.fixture
def pair(programme, people):
    pair = publish_pair(programme, people["senior"], people["junior"], people["coordinator"])
    pair_steward_set(pair=pair, steering_member=people["steering"])
    return pair


def log(pair, user, *, notes="", reflection="", day=None) -> Meeting:
    return meeting_log(
        pair=pair,
        by=user,
        values={
            "date": day or timezone.localdate(),
            "duration_minutes": 60,
            "mode": "virtual",
            "shared_notes": notes,
        },
        reflection=reflection,
    )


def pulse(meeting, user, value: int, comment: str = "") -> Pulse:
    return pulse_record(
        meeting=meeting,
        author=user,
        answers={
            "spoke_openly": value,
            "learned": value,
            "partner_learned": value,
            "going": value,
            "comment": comment,
        },
    )


# --- Agreement and goals -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_agreement_is_joint_and_either_partner_can_propose_a_change(client, pair, people):
    terms = {
        "meeting_frequency": "Every three weeks",
        "meeting_place": "The café on neutral ground",
        "confidentiality": "Nothing leaves the room",
        "ground_rules": "Equals; both learn",
    }
    client.force_login(people["senior"])
    client.post(url("propose_agreement", pair.programme), terms)
    agreement = Agreement.objects.get(pair=pair)
    assert agreement.senior_confirmed_at and not agreement.agreed

    client.force_login(people["junior"])
    page = client.get(url("my_pair", pair.programme)).content.decode()
    assert "waiting for you to confirm" in page
    client.post(url("confirm_agreement", pair.programme, 1))
    agreement.refresh_from_db()
    assert agreement.agreed

    client.post(url("propose_agreement", pair.programme), {**terms, "meeting_frequency": "Monthly"})
    latest = Agreement.objects.filter(pair=pair).order_by("-version").first()
    assert (latest.version, latest.meeting_frequency, latest.agreed) == (2, "Monthly", False)
    assert latest.junior_confirmed_at and not latest.senior_confirmed_at


@pytest.mark.django_db
def test_each_partner_sets_their_own_goals_and_the_page_has_no_mentor_or_mentee(
    client, pair, people
):
    client.force_login(people["senior"])
    client.post(url("add_goal", pair.programme), {"text": "Hear it straight"})
    client.force_login(people["junior"])
    client.post(url("add_goal", pair.programme), {"text": "See the politics"})
    page = client.get(url("my_pair", pair.programme)).content.decode()
    assert "Hear it straight" in page and "See the politics" in page
    assert not re.search(r"\bment(or|ee)s?\b", page, re.IGNORECASE)
    theirs = pair.goals.get(text="Hear it straight")
    client.post(url("remove_goal", pair.programme, theirs.pk))
    assert pair.goals.filter(pk=theirs.pk).exists()


# --- Meetings, reflections and pulses ------------------------------------------------------------


@pytest.mark.django_db
def test_shared_notes_reach_both_partners_and_a_reflection_only_its_author(client, pair, people):
    client.force_login(people["senior"])
    bad = client.post(
        url("log_meeting", pair.programme),
        {
            "date": "2099-01-01",
            "duration_minutes": "60",
            "mode": "virtual",
        },
    )
    assert bad.status_code == 400
    assert "Log a meeting once it has happened." in bad.content.decode()
    client.post(
        url("log_meeting", pair.programme),
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
        client.get(url("my_pair", pair.programme))
        .content.decode()
        .count("I felt defensive about the panel")
        == 1
    )
    client.force_login(people["junior"])
    page = client.get(url("my_pair", pair.programme)).content.decode()
    assert "We mapped the promotion process" in page
    assert "I felt defensive" not in page


@pytest.mark.django_db
def test_contrasting_pulses_raise_a_flag_but_never_show_the_answers(client, pair, people):
    meeting = log(pair, people["senior"])
    pulse(meeting, people["senior"], 5, comment="Brilliant conversation")
    pulse(meeting, people["junior"], 1, comment="I held back a lot")
    pair.refresh_from_db()
    assert "The partners see “could speak openly” very differently" in pair.pulse_flags

    client.force_login(people["coordinator"])
    dashboard = client.get(url("pairs", pair.programme)).content.decode()
    detail = client.get(url("pair", pair.programme, pair.pk)).content.decode()
    for page in (dashboard, detail):
        assert "could speak openly" in page
        assert "Brilliant conversation" not in page and "I held back" not in page
    assert dashboard.index(pair.senior.full_name) < dashboard.index("very differently")


@pytest.mark.django_db
def test_the_pulse_tells_the_partner_exactly_what_the_coordinator_sees(client, pair, people):
    meeting = log(pair, people["junior"])
    client.force_login(people["junior"])
    target = url("my_pair", pair.programme)
    page = client.get(target).content.decode()
    assert PULSE_PRIVACY in page and COMMENT_PRIVACY in page
    for untrue in ("Nobody sees your answers", "not even the coordinator"):
        assert untrue not in page
    answers = {f"p{meeting.pk}-{k}": "4" for k in ["spoke_openly", "learned", "partner_learned"]}
    response = client.post(
        url("send_pulse", pair.programme, meeting.pk),
        {f"p{meeting.pk}-going": "4", **answers},
        follow=True,
    )
    thanks = response.content.decode()
    assert f"Thank you. {PULSE_PRIVACY}" in thanks
    assert "Nobody sees your answers" not in thanks


def flag_texts(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:span|td)>', html, re.DOTALL)


@pytest.mark.django_db
def test_the_coordinator_sees_flags_that_name_nobody_and_quote_no_answer(client, pair, people):
    meeting = log(pair, people["senior"])
    pulse(meeting, people["senior"], 5, comment="COMMENT-SECRET")
    pulse(meeting, people["junior"], 1, comment="COMMENT-SECRET")
    client.force_login(people["coordinator"])
    detail = client.get(url("pair", pair.programme, pair.pk)).content.decode()
    dashboard = client.get(url("pairs", pair.programme)).content.decode()
    shown = flag_texts(detail, "pulse-flags") + flag_texts(dashboard, "attention")
    assert len(shown) == 2 and all("very differently" in text for text in shown)
    for text in shown:
        for person in (pair.senior.full_name, pair.junior.full_name, "senior", "junior", "Senior"):
            assert person not in text
        assert "COMMENT-SECRET" not in text and not re.search(r"\b[1-5]\b", text)
    assert FLAGS_NOTE in detail and FLAGS_NOTE in dashboard


@pytest.mark.django_db
def test_a_comment_never_raises_a_flag(pair, people):
    meeting = log(pair, people["senior"])
    pulse(meeting, people["senior"], 5, comment="I want out, this is not working at all")
    pulse(meeting, people["junior"], 5, comment="Awful, I dread every meeting")
    pair.refresh_from_db()
    assert pair.pulse_flags == []
    assert "comment" not in {f.name for f in dataclasses.fields(PulseAnswers)}


answers_strategy = st.builds(PulseAnswers, *[st.integers(1, 5)] * 4)


@given(answers_strategy, answers_strategy)
def test_the_flags_are_the_same_whichever_partner_answered_what(first, second):
    assert pulse_flags(first, second) == pulse_flags(second, first)


@pytest.mark.django_db
def test_a_partner_answers_the_pulse_once_per_meeting(client, pair, people):
    meeting = log(pair, people["junior"])
    client.force_login(people["junior"])
    target = url("send_pulse", pair.programme, meeting.pk)
    prefix = f"p{meeting.pk}"
    answers = {
        f"{prefix}-{k}": "4" for k in ["spoke_openly", "learned", "partner_learned", "going"]
    }
    missing = client.post(target, {})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    client.post(target, answers)
    again = client.post(target, answers)
    assert again.status_code == 400
    assert "You have already answered the pulse for this meeting." in again.content.decode()
    assert Pulse.objects.filter(meeting=meeting).count() == 1


# --- Steering, concerns, dashboard ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_steering_member_sees_only_names_agreement_and_dates_of_their_pairs(client, pair, people):
    log(pair, people["senior"], notes="Shared secret notes", reflection="Private thought")
    other_steering = factories.programme_person(pair.programme, Role.STEERING)
    client.force_login(people["steering"])
    page = client.get(url("my_pairs", pair.programme)).content.decode()
    assert pair.senior.full_name in page and "none yet" in page
    assert "Shared secret notes" not in page and "Private thought" not in page
    client.post(
        url("log_checkin", pair.programme, pair.pk),
        {
            f"c{pair.pk}-day": timezone.localdate().isoformat(),
            f"c{pair.pk}-status": "needs_support",
            f"c{pair.pk}-note": "They find it hard to find time",
        },
    )
    assert pair.checkins.get().status == "needs_support"
    client.force_login(other_steering)
    response = client.post(url("log_checkin", pair.programme, pair.pk), {})
    assert response.status_code == 404
    client.force_login(people["coordinator"])
    detail = client.get(url("pair", pair.programme, pair.pk)).content.decode()
    assert "They find it hard to find time" in detail


@pytest.mark.django_db
def test_a_confidential_concern_reaches_only_the_coordinator_who_ends_the_pair(
    client, pair, people
):
    client.force_login(people["junior"])
    client.post(url("raise_concern", pair.programme), {"text": "My partner keeps cancelling"})
    concern = pair.concerns.get()
    client.force_login(people["senior"])
    assert (
        "My partner keeps cancelling"
        not in client.get(url("my_pair", pair.programme)).content.decode()
    )

    client.force_login(people["coordinator"])
    detail = client.get(url("pair", pair.programme, pair.pk)).content.decode()
    assert "My partner keeps cancelling" in detail
    client.post(
        url("act_on_concern", pair.programme, pair.pk, concern.pk),
        {
            f"k{concern.pk}-kind": "end_pair",
            f"k{concern.pk}-note": "Agreed",
        },
    )
    pair.refresh_from_db()
    concern.refresh_from_db()
    assert (pair.status, concern.status) == (PairStatus.ENDED_EARLY, "closed")
    dashboard = client.get(url("pairs", pair.programme)).content.decode()
    assert "Ended early" in dashboard  # still counts in the figures
    assert [e.status for e in pair.history.all()][-1] == PairStatus.ENDED_EARLY


def many_pairs(programme, count: int) -> None:
    """`count` active pairs with meetings, check-ins and concerns, made in bulk."""
    coordinator = factories.member(programme.organisation)
    seniors, juniors = [], []
    for n in range(count):
        for side, bucket in ((Side.SENIOR, seniors), (Side.JUNIOR, juniors)):
            bucket.append(
                Profile(
                    programme=programme,
                    email=f"{side}{n}-{programme.pk}@bulk.test",
                    full_name=f"{side} {n}",
                    side=side,
                    decision="selected",
                )
            )
    Profile.objects.bulk_create(seniors + juniors)
    pairs = Pair.objects.bulk_create(
        Pair(
            programme=programme,
            senior=s,
            junior=j,
            status=PairStatus.ACTIVE,
            published_at=timezone.now(),
            pulse_flags=["A low answer on “going”"] if n % 3 == 0 else [],
        )
        for n, (s, j) in enumerate(zip(seniors, juniors, strict=True))
    )
    Meeting.objects.bulk_create(
        Meeting(pair=p, date=timezone.localdate(), duration_minutes=60, mode="virtual")
        for p in pairs
    )
    assert coordinator


@pytest.mark.django_db
def test_the_dashboard_takes_the_same_queries_for_10_pairs_and_300(client, org):
    counts = []
    for total in (10, 300):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        many_pairs(programme, total)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("pairs", programme), {"sort": "attention"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Confidentiality role matrix -----------------------------------------------------------------


@pytest.mark.django_db
def test_no_confidential_object_reaches_any_other_role(client, pair, people):
    """Private reflection, pulse answer, concern, red flag and steering note, each tried from
    every role that must not see it: by URL, in every page's HTML and in the export."""
    programme = pair.programme
    meeting = log(pair, people["senior"], reflection="REFLECTION-SECRET")
    pulse(meeting, people["senior"], 2, comment="PULSE-SECRET")
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
        url(name, programme)
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
        url("pair", programme, pair.pk),
        url("candidate", programme, pair.senior.pk),
        reverse("programmes:timeline", args=[programme.organisation.slug, programme.pk]),
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
    export = client.get(url("export", programme)).content.decode()
    assert pair.senior.full_name in export
    assert not any(secret in export for secret in may_see)
    for message in delivered():
        assert not any(secret in message.body for secret in may_see)


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        ("pairs", {"coordinator"}),
        ("export", {"coordinator"}),
        ("my_pairs", {"steering"}),
        ("my_pair", {"senior", "junior"}),
    ],
)
@pytest.mark.django_db
def test_role_matrix_for_relationship_pages(client, pair, people, view, allowed):
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        assert client.get(url(view, pair.programme)).status_code == expected, who


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
    assert client.get(url("pair", pair.programme, their_pair.pk)).status_code == 404


# --- Nudges --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_quiet_pairs_and_overdue_check_ins_are_nudged_once(pair, people):
    org = pair.programme.organisation
    Pair.objects.filter(pk=pair.pk).update(published_at=datetime(2026, 10, 1, tzinfo=UTC))
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def sweep(at: datetime) -> list[list[str]]:
        delivered().clear()
        with scope(organisation=org):
            reminders_record(organisation=org, now=at)
            reminders_send_due(organisation=org, now=at)
        return sorted(
            m.to for m in delivered() if "meet your partner" in m.body or "check-in" in m.body
        )

    first = sweep(now)
    assert first == sorted(
        [[people["senior"].email], [people["junior"].email], [people["steering"].email]]
    )
    assert sweep(now + timedelta(days=1)) == []  # never twice
    log(pair, people["senior"], day=date(2026, 11, 23))
    checkin_log(pair=pair, by=people["steering"], day=date(2026, 11, 23), status="on_track")
    assert sweep(now + timedelta(days=2)) == []
    assert programme_member_add


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
    response = client.post(url("confirm_agreement", pair.programme, 1), follow=True)
    assert "Your partner has proposed a change since" in response.content.decode()
    assert not Agreement.objects.filter(pair=pair, junior_confirmed_at__isnull=False).exists()


@pytest.mark.django_db
def test_one_pulse_alone_raises_no_flag_so_nobody_can_tell_who_answered(pair, people):
    meeting = log(pair, people["senior"])
    pulse(meeting, people["junior"], 1)
    pair.refresh_from_db()
    assert pair.pulse_flags == []
    pulse(meeting, people["senior"], 3)
    pair.refresh_from_db()
    assert "A low answer on “could speak openly”" in pair.pulse_flags


@pytest.mark.django_db
def test_bad_ids_are_not_found_and_a_partner_cannot_steward_their_own_pair(client, pair, people):
    others = publish_pair(
        pair.programme,
        factories.programme_person(pair.programme, Role.PARTICIPANT, Side.SENIOR),
        factories.programme_person(pair.programme, Role.PARTICIPANT, Side.JUNIOR),
        people["coordinator"],
    )
    their_meeting = log(others, others.senior.user)
    their_goal = others.goals.create(owner=others.senior.user, text="Theirs")
    client.force_login(people["senior"])
    for name, args in [
        ("remove_goal", [their_goal.pk]),
        ("remove_goal", [99999]),
        ("send_pulse", [their_meeting.pk]),
        ("save_reflection", [their_meeting.pk]),
        ("confirm_agreement", [1]),  # no agreement yet
    ]:
        response = client.post(url(name, pair.programme, *args), {"text": "x"})
        assert response.status_code == 404, name
    assert others.goals.count() == 1 and not their_meeting.pulses.exists()

    programme_member_add(programme=pair.programme, user=people["senior"], role=Role.STEERING)
    with pytest.raises(PairsError):
        pair_steward_set(pair=pair, steering_member=people["senior"])


@pytest.mark.django_db
def test_a_refused_form_comes_back_on_the_partnership_page_as_it_was_typed(client, pair, people):
    meeting = log(pair, people["senior"])
    client.force_login(people["senior"])
    response = client.post(
        url("log_meeting", pair.programme),
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
        url("save_reflection", pair.programme, meeting.pk), {f"r{meeting.pk}-text": "x" * 10_001}
    )
    assert reflection.status_code == 400
    page = reflection.content.decode()
    assert "at most 10000 characters" in page
    assert re.search(r'<details class="small mb-2" open><summary>My private reflection', page)
    assert client.post(url("my_pair", pair.programme), {"date": "2099-01-01"}).status_code == 405


@pytest.mark.django_db
def test_a_refused_proposal_leaves_the_agreement_shown_beside_it_as_agreed(client, pair, people):
    terms = {"meeting_place": "Online", "confidentiality": "Ours", "ground_rules": "Equals"}
    agreement_propose(
        pair=pair, by=people["senior"], values={"meeting_frequency": "Weekly", **terms}
    )
    client.force_login(people["junior"])
    response = client.post(
        url("propose_agreement", pair.programme),
        {**terms, "meeting_frequency": "Daily", "meeting_place": "p" * 201},
    )
    assert response.status_code == 400
    page = response.content.decode()
    current = page[page.index('data-testid="agreement-status"') : page.index("</dl>")]
    assert "<dd>Weekly</dd>" in current and "Daily" not in current
    assert 'value="Daily"' in page and "at most 200 characters" in page
    assert Agreement.objects.filter(pair=pair).count() == 1
