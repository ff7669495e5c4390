"""Supervision pages for each role, and who sees what of a referral."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.roles import Role
from pairs.services import concern_raise
from programmes.models import GroupSession
from supervision.models import (
    Attendance,
    Consent,
    Referral,
    ReferralStatus,
    Route,
    SupervisionSession,
    Supervisor,
    Urgency,
)
from supervision.services import (
    consent_answer,
    group_facilitation_set,
    referral_accept,
    referral_assign,
    referral_route,
)

from .. import factories
from ..mailbox import delivered

TEXT = "Secret referral words about a hard conversation"
NOTE = "Secret supervision note only its author reads"
SUMMARY = "Anonymised: feedback lands differently across levels"


def page(name: str, programme, *args) -> str:
    return reverse(f"supervision:{name}", args=[programme.organisation.slug, programme.pk, *args])


def ask_about(client, ask: str, pair, person_id: int, urgency: str) -> None:
    """Ask, in TEXT, for supervision about one partner of `pair`."""
    fields = {"pair": pair.pk, "concerning": "person", "person": person_id, "text": TEXT}
    assert client.post(ask, {**fields, "urgency": urgency}).status_code == 302


@pytest.mark.django_db
def test_a_partner_asks_for_supervision_from_their_pair_page_and_sees_its_status(
    client, pair, people, programme
):
    client.force_login(people["junior"])
    partnership = client.get(
        reverse("pairs:my_pair", args=[programme.organisation.slug, programme.pk])
    ).content.decode()
    assert 'data-testid="supervision-panel"' in partnership
    ask = page("ask", programme)
    refused = client.post(ask, {"pair": pair.pk, "concerning": "person", "text": TEXT})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Choose which of this pair&#x27;s partners it concerns." in html
    assert TEXT in html  # what was typed is kept
    ask_about(client, ask, pair, people["junior"].pk, Urgency.SOON)
    referral = Referral.objects.get()
    assert (referral.raised_as, referral.person, referral.urgency) == (
        Role.PARTICIPANT,
        people["junior"],
        Urgency.SOON,
    )
    mine = client.get(page("mine", programme)).content.decode()
    assert "The coordinator has it and will decide what happens next." in mine


@pytest.mark.django_db
def test_the_queue_puts_urgent_first_then_the_longest_waiting(client, pair, people, programme):
    def raise_(urgency: str, days_ago: int) -> Referral:
        referral = factories.referral(
            pair, people["senior"], text=f"{urgency} {days_ago}", urgency=urgency
        )
        Referral.objects.filter(pk=referral.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        return referral

    routine_old, soon, urgent, routine_new = (
        raise_("routine", 9),
        raise_("soon", 1),
        raise_("urgent", 0),
        raise_("routine", 2),
    )
    client.force_login(people["coordinator"])
    html = client.get(page("triage", programme)).content.decode()
    order = [
        html.index(page("referral", programme, r.pk))
        for r in (urgent, soon, routine_old, routine_new)
    ]
    assert order == sorted(order)
    filtered = client.get(page("triage", programme), {"urgency": "urgent"}).content.decode()
    assert page("referral", programme, urgent.pk) in filtered
    assert page("referral", programme, soon.pk) not in filtered
    assert len(delivered()) >= 1  # the urgent one e-mailed the coordinator


@pytest.mark.django_db
def test_a_referral_goes_from_triage_through_consent_to_a_supervisor_by_the_pages(
    client, pair, people, programme, supervisor
):
    referral = factories.referral(pair, people["steering"], text=TEXT, raised_as=Role.STEERING)
    client.force_login(people["coordinator"])
    group_without_confirm = client.post(
        page("route", programme, referral.pk), {"route": Route.GROUP, "summary": ""}
    )
    assert group_without_confirm.status_code == 400
    assert "Confirm that this suits a group." in group_without_confirm.content.decode()
    client.post(page("route", programme, referral.pk), {"route": Route.PAIR})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_CONSENT
    for who in ("senior", "junior"):
        client.force_login(people[who])
        mine = client.get(page("mine", programme)).content.decode()
        assert "supervision for the two of you together" in mine
        assert TEXT not in mine  # a partner asked to agree is not shown what was written
        consent = Consent.objects.get(referral=referral, user=people[who])
        client.post(page("consent", programme, consent.pk), {"answer": "agree"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ASSIGNMENT
    client.force_login(people["coordinator"])
    client.post(page("assign", programme, referral.pk), {"supervisor": supervisor.pk})
    client.force_login(people["supervisor"])
    assert "Accept this case" in client.get(page("case", programme, referral.pk)).content.decode()
    client.post(page("case_accept", programme, referral.pk))
    client.post(
        page("case_session", programme, referral.pk),
        {
            "starts_at": (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT10:00"),
            "duration_minutes": 60,
            "mode": "virtual",
            "place": "https://meet.example.org/p",
        },
    )
    client.post(page("case_note", programme, referral.pk), {"text": NOTE})
    client.post(
        page("case_outcome", programme, referral.pk), {"outcome": "resolved", "close": "on"}
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "resolved")
    assert referral.sessions.count() == 1
    client.force_login(people["coordinator"])
    detail = client.get(page("referral", programme, referral.pk)).content.decode()
    assert "Resolved" in detail and NOTE not in detail


@pytest.mark.django_db
def test_a_group_session_shows_the_anonymised_summary_and_never_the_referral(
    client, pair, people, programme, supervisor
):
    session = GroupSession.objects.filter(programme=programme).first()
    GroupSession.objects.filter(pk=session.pk).update(date=timezone.localdate() + timedelta(10))
    group_facilitation_set(session=session, facilitator=supervisor, external_facilitator="")
    group = factories.referral(pair, people["senior"], text=TEXT)
    referral_route(
        referral=group,
        by=people["coordinator"],
        route=Route.GROUP,
        suits_group=True,
        summary=SUMMARY,
    )
    client.force_login(people["junior"])
    url = page("group_session", programme, session.pk)
    assert SUMMARY not in client.get(url).content.decode()  # not before the raiser agrees
    consent_answer(consent=group.consents.get(), user=people["senior"], agreed=True)
    for who in ("junior", "senior", "coordinator", "supervisor"):
        client.force_login(people[who])
        html = client.get(url).content.decode()
        assert SUMMARY in html and TEXT not in html, who


@pytest.mark.django_db
def test_a_concern_raised_with_a_wish_for_supervision_is_a_referral_its_author_follows(
    client, pair, people, programme
):
    client.force_login(people["junior"])
    raise_concern = reverse("pairs:raise_concern", args=[programme.organisation.slug, programme.pk])
    response = client.post(raise_concern, {"text": TEXT, "supervision": "urgent"}, follow=True)
    assert "The coordinator has been told at once." in response.content.decode()
    referral = Referral.objects.get()
    assert (referral.concern.text, referral.person, referral.urgency, referral.raised_by) == (
        TEXT,
        people["junior"],
        Urgency.URGENT,
        people["junior"],
    )
    assert [m.subject for m in delivered() if TEXT in m.body or TEXT in m.subject] == []
    assert any("urgent" in m.subject.lower() for m in delivered())
    partnership = client.get(
        reverse("pairs:my_pair", args=[programme.organisation.slug, programme.pk])
    ).content.decode()
    assert "You asked on" in partnership
    assert "The coordinator has it and will decide what happens next." in partnership


@pytest.mark.django_db
def test_a_concern_without_a_wish_for_supervision_stays_a_concern(client, pair, people, programme):
    client.force_login(people["junior"])
    raise_concern = reverse("pairs:raise_concern", args=[programme.organisation.slug, programme.pk])
    response = client.post(raise_concern, {"text": TEXT}, follow=True)
    assert "The coordinator has your message. Your partner is not told." in (
        response.content.decode()
    )
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_refers_a_concern_and_its_author_sees_what_became_of_it(
    client, pair, people, programme
):
    concern = concern_raise(pair=pair, by=people["senior"], text=TEXT)
    client.force_login(people["coordinator"])
    act = reverse(
        "pairs:act_on_concern",
        args=[programme.organisation.slug, programme.pk, pair.pk, concern.pk],
    )
    client.post(act, {f"k{concern.pk}-kind": "refer", f"k{concern.pk}-note": "Agreed on the phone"})
    client.post(act, {f"k{concern.pk}-kind": "refer", f"k{concern.pk}-note": "Again"})
    referral = Referral.objects.get()  # referring twice is one referral
    assert (referral.raised_by, referral.raised_as, referral.person, referral.text) == (
        people["coordinator"],
        Role.COORDINATOR,
        people["senior"],
        TEXT,
    )
    pair_page = client.get(
        reverse("pairs:pair", args=[programme.organisation.slug, programme.pk, pair.pk])
    ).content.decode()
    assert page("referral", programme, referral.pk) in pair_page
    client.force_login(people["senior"])
    mine = client.get(page("mine", programme)).content.decode()
    assert "The coordinator has it and will decide what happens next." in mine
    client.force_login(people["junior"])  # the partner knows nothing of it
    assert TEXT not in client.get(page("mine", programme)).content.decode()


@pytest.mark.django_db
def test_a_steering_member_refers_a_pair_from_its_check_in(client, pair, people, programme):
    client.force_login(people["steering"])
    my_pairs = client.get(
        reverse("pairs:my_pairs", args=[programme.organisation.slug, programme.pk])
    ).content.decode()
    assert f"{page('ask', programme)}?pair={pair.pk}" in my_pairs
    factories.referral(pair, people["steering"], text=TEXT, raised_as=Role.STEERING)
    my_pairs = client.get(
        reverse("pairs:my_pairs", args=[programme.organisation.slug, programme.pk])
    ).content.decode()
    assert "You referred them on" in my_pairs
    assert TEXT not in my_pairs


@pytest.mark.django_db
def test_the_coordinator_concludes_what_they_handle_and_ends_a_pair_as_supervision_advised(
    client, pair, people, programme, supervisor
):
    handled = factories.referral(pair, people["senior"], text=TEXT)
    client.force_login(people["coordinator"])
    client.post(page("route", programme, handled.pk), {"route": Route.COORDINATOR})
    refused = client.post(page("conclude", programme, handled.pk), {"outcome": "<b>"})
    assert refused.status_code == 400
    assert "Select a valid choice." in refused.content.decode()
    client.post(page("conclude", programme, handled.pk), {"outcome": "resolved"})
    handled.refresh_from_db()
    assert (handled.status, handled.outcome) == (ReferralStatus.CLOSED, "resolved")

    ending = factories.referral(pair, people["junior"], text=TEXT, urgency="soon")
    referral_route(referral=ending, by=people["coordinator"], route=Route.PAIR)
    ending = consent_answer(consent=ending.consents.get(), user=people["senior"], agreed=True)
    referral_assign(referral=ending, supervisor=supervisor, by=people["coordinator"])
    referral_accept(referral=ending, by=people["supervisor"])
    detail = page("referral", programme, ending.pk)
    assert page("end_pair", programme, ending.pk) not in client.get(detail).content.decode()
    client.post(page("end_pair", programme, ending.pk))  # not before the supervisor says so
    pair.refresh_from_db()
    assert pair.status == "active"
    client.force_login(people["supervisor"])
    client.post(page("case_outcome", programme, ending.pk), {"outcome": "end_pair"})
    client.force_login(people["coordinator"])
    assert page("end_pair", programme, ending.pk) in client.get(detail).content.decode()
    response = client.post(page("end_pair", programme, ending.pk), follow=True)
    assert "The pair has ended, without blame." in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == "ended_early"


@pytest.mark.django_db
def test_a_supervisors_caseload_names_both_partners_of_pair_supervision_and_its_next_session(
    client, pair, people, programme, supervisor
):
    referral = factories.referral(pair, people["junior"], text=TEXT, about=people["junior"])
    referral_route(referral=referral, by=people["coordinator"], route=Route.PAIR)
    referral = consent_answer(consent=referral.consents.get(), user=people["senior"], agreed=True)
    referral_assign(referral=referral, supervisor=supervisor, by=people["coordinator"])
    referral = referral_accept(referral=referral, by=people["supervisor"])
    soon = timezone.localtime() + timedelta(days=2)
    for starts_at in (timezone.now() - timedelta(days=1), soon, soon + timedelta(days=14)):
        SupervisionSession.objects.create(
            referral=referral, starts_at=starts_at, duration_minutes=60, mode="virtual", place="x"
        )
    client.force_login(people["supervisor"])
    html = client.get(page("cases", programme)).content.decode()
    assert f"{pair.senior.full_name} &amp; {pair.junior.full_name}" in html
    assert f"Next session {soon:%A} {soon.day} {soon:%B}, {soon:%H:%M}" in html


@pytest.mark.django_db
def test_a_coordinator_asks_about_any_pair_and_the_partners_offered_are_that_pairs(
    client, people, programme
):
    from pairs.models import Pair
    from pairs.services import matching_publish, matching_run

    factories.selected_cohort(programme, 3, 3)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=people["coordinator"])
    pairs = list(Pair.objects.filter(programme=programme).select_related("senior", "junior"))
    assert len(pairs) == 3
    client.force_login(people["coordinator"])
    ask = page("ask", programme)

    every = client.get(ask).content.decode()
    for pair in pairs:
        assert f"{pair.senior.full_name} and {pair.junior.full_name}" in every
    assert "Choose the pair" in every
    assert every.count("<optgroup") == 3  # every pair's partners, under the pair

    first, other = pairs[0], pairs[1]
    for_one = client.get(f"{ask}?pair={first.pk}").content.decode()
    person_select = for_one.split('name="person"')[1].split("</select>")[0]
    assert first.senior.full_name in person_select and first.junior.full_name in person_select
    assert other.senior.full_name not in person_select

    refused = client.post(ask, {"concerning": "pair", "text": TEXT, "urgency": Urgency.ROUTINE})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Choose the pair it is about." in html
    assert TEXT in html  # what was typed is kept
    fields = {"pair": other.pk, "concerning": "person", "text": TEXT, "urgency": Urgency.ROUTINE}
    wrong = client.post(ask, {**fields, "person": first.junior.user_id}).content.decode()
    assert wrong.count("Choose which of this pair&#x27;s partners it concerns.") == 1
    assert "Select a valid choice" not in wrong
    ask_about(client, ask, other, other.junior.user_id, Urgency.ROUTINE)
    referral = Referral.objects.get()
    assert (referral.pair, referral.raised_as, referral.person_id) == (
        other,
        Role.COORDINATOR,
        other.junior.user_id,
    )


@pytest.mark.django_db
def test_a_supervisor_shows_their_open_closed_or_urgent_cases(
    client, pair, people, programme, supervisor
):
    def case(urgency: str):
        raised = factories.referral(
            pair, people["junior"], text=TEXT, about=people["junior"], urgency=urgency
        )
        return factories.in_supervision(
            raised, coordinator=people["coordinator"], supervisor=supervisor
        )

    urgent, finished = case("urgent"), case("routine")
    Referral.objects.filter(pk=finished.pk).update(
        status=ReferralStatus.CLOSED, closed_at=timezone.now()
    )
    routine = case("routine")  # a supervisor carries two at a time here
    client.force_login(people["supervisor"])
    url = page("cases", programme)

    def shown(**query) -> set[int]:
        html = client.get(url, query).content.decode()
        return {int(pk) for pk in re.findall(r'/supervision/cases/(\d+)/"', html)}

    assert shown() == {urgent.pk, routine.pk, finished.pk}
    assert shown(state="open") == {urgent.pk, routine.pk}
    assert shown(state="closed") == {finished.pk}
    assert shown(state="open", urgent="on") == {urgent.pk}
    assert shown(state="closed", urgent="on") == set()
    assert (
        "No case matches." in client.get(url, {"state": "closed", "urgent": "on"}).content.decode()
    )
    refused = client.get(url, {"state": "everything"})
    assert "Select a valid choice" in refused.content.decode()
    assert shown(state="everything") == {urgent.pk, routine.pk, finished.pk}


@pytest.mark.django_db
def test_a_refused_change_to_a_supervisors_place_is_shown_on_their_row_with_what_was_typed(
    client, people, programme
):
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    client.force_login(people["coordinator"])
    url = page("pool_place", programme, supervisor.pk)
    prefix = f"s{supervisor.pk}"
    typed = {
        f"{prefix}-kind": "external",
        f"{prefix}-capacity": "0",
        f"{prefix}-background": "Coach, twelve years with the NHS",
    }
    refused = client.post(url, typed)
    assert refused.status_code == 400
    shown = refused.content.decode()
    row = shown[shown.index('data-testid="pool-row"') :].split("</tr>", 1)[0]
    assert "<details open>" in row and "Choose between 1 and 50 cases." in row
    assert 'value="Coach, twelve years with the NHS"' in row and 'value="0"' in row
    assert '<option value="external" selected>' in row
    supervisor.refresh_from_db()
    assert supervisor.capacity != 0 and supervisor.background == ""

    saved = client.post(url, typed | {f"{prefix}-capacity": "4"}, follow=True)
    assert "place saved." in saved.content.decode()
    supervisor.refresh_from_db()
    assert (supervisor.kind, supervisor.capacity) == ("external", 4)
    assert supervisor.background == "Coach, twelve years with the NHS"


@pytest.mark.django_db
def test_a_referral_refused_for_its_hidden_pair_says_why(client, pair, people, programme):
    """A partner with one pair never chooses it: the form sends it hidden. When that pair is no
    longer theirs to ask about (ended while they wrote), the page said nothing at all."""
    client.force_login(people["junior"])
    fields = {"concerning": "person", "person": people["junior"].pk, "urgency": "routine"}
    refused = client.post(page("ask", programme), {**fields, "pair": pair.pk + 1000, "text": TEXT})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'type="hidden" name="pair"' in html
    alert = re.search(r'<div class="alert alert-danger" role="alert">([^<]+)</div>', html)
    assert alert and "choice" in alert.group(1).lower()
    assert TEXT in html  # and what they wrote is still there


@pytest.mark.django_db
def test_a_refused_attendance_list_keeps_its_ticks_and_says_why_on_the_page(
    client, pair, people, programme, supervisor
):
    """A tick for someone no longer invited (their pair ended while the list was open) refused
    the whole list with a message on another page load, and every tick was lost."""
    session = GroupSession.objects.filter(programme=programme).first()
    group_facilitation_set(session=session, facilitator=supervisor, external_facilitator="")
    client.force_login(people["supervisor"])
    url = page("attendance", programme, session.pk)
    ticked = [people["senior"].pk, people["coordinator"].pk]  # the coordinator is not invited
    refused = client.post(url, {"attended": ticked})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Tick only people invited to this session. Nothing was saved." in html
    assert f'value="{people["senior"].pk}" id="att-{people["senior"].pk}" checked' in html
    assert f'value="{people["junior"].pk}" id="att-{people["junior"].pk}">' in html
    assert not Attendance.objects.filter(session=session, attended=True).exists()


@pytest.mark.django_db
def test_a_refused_decline_or_hand_back_opens_its_section_at_the_error(
    client, pair, people, programme, supervisor
):
    """Both forms sit in a section closed by default; refused, the page said so only once the
    section was opened (and without JavaScript, never)."""
    waiting = factories.referral(pair, people["junior"], text=TEXT, about=people["junior"])
    client.force_login(people["coordinator"])
    refused = client.post(page("decline", programme, waiting.pk), {"decline-reason": ""})
    assert refused.status_code == 400
    assert '<details class="card" open><summary class="card-body">Decline it' in (
        refused.content.decode()
    )
    case = factories.in_supervision(
        waiting, coordinator=people["coordinator"], supervisor=supervisor
    )
    client.force_login(people["supervisor"])
    refused = client.post(page("case_hand_back", programme, case.pk), {"hand_back-reason": ""})
    assert refused.status_code == 400
    assert '<details class="card" open><summary class="card-body">Hand it back' in (
        refused.content.decode()
    )
