"""Writes for supervision: raising a referral, the coordinator's triage, consent, the supervisor's
part (accepting, sessions, notes, outcomes) and the combined group sessions."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import Reminder
from notifications.services import reminders_add
from organisations.emails import absolute_url, email_message, send_emails
from organisations.models import User
from organisations.roles import Role
from pairs.models import Concern, Pair, PairStatus
from pairs.services import PairsError, pair_status_set
from programmes.models import GroupSession, Programme, ProgrammeMember
from programmes.reminders import programme_topic

from .models import (
    ACTIVE_CASE_STATUSES,
    DEFAULT_GROUND_RULES,
    OPEN_STATUSES,
    AgendaIssue,
    Attendance,
    Concerning,
    Consent,
    EventKind,
    GroupSupervision,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Route,
    SessionMode,
    SupervisionNote,
    SupervisionSession,
    Supervisor,
    Urgency,
)


class SupervisionError(Exception):
    """A step the supervision rules do not allow; the message is for the user."""


def _coordinators(programme: Programme) -> list[User]:
    return list(
        User.objects.filter(
            programme_roles__programme=programme, programme_roles__role=Role.COORDINATOR
        )
    )


def _event(referral: Referral, kind: str, by: User | None, note: str = "") -> ReferralEvent:
    return ReferralEvent.objects.create(referral=referral, kind=kind, by=by, note=note.strip())


def _partners(pair: Pair) -> list[User]:
    return [user for user in (pair.senior.user, pair.junior.user) if user is not None]


# --- Raising -------------------------------------------------------------------------------------


@transaction.atomic
def referral_raise(
    *,
    pair: Pair,
    by: User,
    raised_as: str,
    concerning: str,
    person: User | None,
    text: str,
    urgency: str,
    concern: Concern | None = None,
) -> Referral:
    """A participant about their own pair, the steering member who looks after the pair, or a
    coordinator asks for supervision. An urgent one is e-mailed to the coordinators at once."""
    _may_raise(pair, by, raised_as)
    if concerning == Concerning.PERSON and person not in _partners(pair):
        raise SupervisionError("Choose which of the two partners it concerns.")
    referral = Referral.objects.create(
        programme_id=pair.programme_id,
        pair=pair,
        concerning=Concerning(concerning),
        person=person if concerning == Concerning.PERSON else None,
        raised_by=by,
        raised_as=raised_as,
        text=text.strip(),
        urgency=Urgency(urgency),
        concern=concern,
    )
    _event(referral, EventKind.RAISED, by, note="From a confidential concern" if concern else "")
    if referral.urgency == Urgency.URGENT:
        _tell_coordinators_at_once(referral)
    return referral


def referral_from_concern(*, concern: Concern, by: User, urgent: bool) -> Referral:
    """Pairs' hook: a confidential concern goes to supervision, asked for by its author or
    referred by the coordinator. It concerns its author; a second request for the same concern
    while one is open is the same referral."""
    open_one = Referral.objects.filter(concern=concern, status__in=OPEN_STATUSES).first()
    if open_one is not None:
        return open_one
    author = concern.raised_by
    try:
        return referral_raise(
            pair=concern.pair,
            by=by,
            raised_as=Role.PARTICIPANT if by == author else Role.COORDINATOR,
            concerning=Concerning.PERSON,
            person=author,
            text=concern.text,
            urgency=Urgency.URGENT if urgent else Urgency.ROUTINE,
            concern=concern,
        )
    except SupervisionError as error:
        raise PairsError(str(error)) from error


def _may_raise(pair: Pair, by: User, raised_as: str) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise SupervisionError("Supervision is for pairs that are meeting.")
    allowed = {
        Role.PARTICIPANT: by in _partners(pair),
        Role.STEERING: pair.steering_member_id == by.pk,
        Role.COORDINATOR: ProgrammeMember.objects.filter(
            programme=pair.programme_id, user=by, role=Role.COORDINATOR
        ).exists(),
    }
    if not allowed.get(raised_as, False):
        raise SupervisionError("You can ask for supervision only for a pair you are part of.")


def _tell_coordinators_at_once(referral: Referral) -> None:
    """Outside the daily digest: an e-mail now, and the notice in their inbox. Neither holds a
    word of what the referral says."""
    programme = referral.programme
    organisation = programme.organisation
    path = reverse("supervision:referral", args=[organisation.slug, programme.pk, referral.pk])
    now = timezone.now()
    coordinators = _coordinators(programme)
    send_emails(
        [
            email_message(
                key=f"referral-urgent:{referral.pk}:{coordinator.pk}",
                to=coordinator.email,
                organisation=organisation,
                subject=f"{programme.name}: an urgent referral is waiting for you",
                template="referral_urgent",
                context={
                    "coordinator": coordinator,
                    "programme": programme,
                    "url": absolute_url(path),
                },
            )
            for coordinator in coordinators
        ]
    )
    reminders_add(
        [
            Reminder(
                organisation=organisation,
                topic=programme_topic(programme.pk),
                recipient=coordinator,
                key=f"referral-urgent:{referral.pk}:{coordinator.pk}",
                subject=f"{programme.name}: an urgent referral is waiting for you",
                body="Someone's safety or wellbeing may be at risk. Open the referral to decide "
                "what happens next.",
                url=absolute_url(path),
                due_at=now,
                sent_at=now,  # e-mailed on its own just now: the digest need not repeat it
            )
            for coordinator in coordinators
        ],
    )


# --- Triage --------------------------------------------------------------------------------------


def _open(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise SupervisionError(
            f"This referral is {referral.get_status_display().lower()}; that step is not open now."
        )


TRIAGEABLE = (ReferralStatus.NEW, ReferralStatus.CONSENT_REFUSED, ReferralStatus.WITH_COORDINATOR)


@transaction.atomic
def referral_route(
    *,
    referral: Referral,
    by: User,
    route: str,
    note: str = "",
    suits_group: bool = False,
    summary: str = "",
) -> Referral:
    """The coordinator's decision: handle it, or offer individual, pair or group supervision.
    Whoever supervision is offered to agrees first (both partners for pair supervision), unless
    they asked for it themselves; whoever raised it always agrees to a group discussing it."""
    _open(referral, *TRIAGEABLE)
    route = Route(route)
    if route == Route.GROUP:
        if not suits_group:
            raise SupervisionError("Confirm that this suits a group before putting it to one.")
        if not summary.strip():
            raise SupervisionError("Write the anonymised summary the group will see.")
        if _next_group_session(referral.programme_id) is None:
            raise SupervisionError("No combined group session is planned ahead to take it.")
    referral.route = route
    referral.status = ReferralStatus.WITH_COORDINATOR
    referral.group_summary = summary.strip() if route == Route.GROUP else ""
    referral.save(update_fields=["route", "status", "group_summary", "updated_at"])
    _event(referral, EventKind.ROUTED, by, note=f"{route.label}. {note}".strip())
    Consent.objects.filter(referral=referral).delete()  # a new route asks anew
    if route == Route.COORDINATOR:
        return referral
    # Asking for supervision is agreeing to it; a group discussion is asked of the raiser too.
    asked = [
        user
        for user in _who_must_agree(referral, route)
        if route == Route.GROUP or user != referral.raised_by
    ]
    Consent.objects.bulk_create(Consent(referral=referral, user=user) for user in asked)
    return _advance_if_agreed(referral, by)


def _who_must_agree(referral: Referral, route: Route) -> list[User]:
    if route == Route.PAIR:
        return _partners(referral.pair)
    if route == Route.INDIVIDUAL:
        return [referral.person] if referral.person else _partners(referral.pair)
    return [referral.raised_by] if referral.raised_by else []


def _advance_if_agreed(referral: Referral, by: User | None) -> Referral:
    consents = list(Consent.objects.filter(referral=referral))
    if any(consent.agreed is False for consent in consents):
        referral.status = ReferralStatus.CONSENT_REFUSED
    elif any(consent.agreed is None for consent in consents):
        referral.status = ReferralStatus.AWAITING_CONSENT
    elif referral.route == Route.GROUP:
        session = _next_group_session(referral.programme_id)
        if session is None:
            raise SupervisionError("No combined group session is planned ahead to take it.")
        AgendaIssue.objects.update_or_create(
            referral=referral, defaults={"session": session, "summary": referral.group_summary}
        )
        referral.status = ReferralStatus.ON_GROUP_AGENDA
        _event(referral, EventKind.ON_AGENDA, by)
    else:
        referral.status = ReferralStatus.AWAITING_ASSIGNMENT
    referral.save(update_fields=["status", "updated_at"])
    return referral


def _next_group_session(programme_id: int) -> GroupSession | None:
    today = timezone.localdate()
    return (
        GroupSession.objects.filter(programme=programme_id, date__gte=today)
        .order_by("date", "sequence")
        .first()
    )


@transaction.atomic
def consent_answer(*, consent: Consent, user: User, agreed: bool) -> Referral:
    """A partner, or whoever raised it, says whether supervision may go ahead."""
    if consent.user_id != user.pk:
        raise SupervisionError("Only the person asked can answer.")
    referral = Referral.objects.select_for_update().get(pk=consent.referral_id)
    _open(referral, ReferralStatus.AWAITING_CONSENT)
    consent.agreed, consent.answered_at = agreed, timezone.now()
    consent.save(update_fields=["agreed", "answered_at"])
    _event(referral, EventKind.CONSENT_GIVEN if agreed else EventKind.CONSENT_REFUSED, user)
    return _advance_if_agreed(referral, user)


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, reason: str) -> Referral:
    """Declined, with a reason that whoever raised it reads."""
    _open(referral, *TRIAGEABLE, ReferralStatus.AWAITING_ASSIGNMENT)
    if not reason.strip():
        raise SupervisionError("Give the reason; whoever raised it will read it.")
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason.strip()
    referral.closed_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "closed_at", "updated_at"])
    _event(referral, EventKind.DECLINED, by)
    return referral


def active_cases(supervisor: Supervisor) -> int:
    return Referral.objects.filter(supervisor=supervisor, status__in=ACTIVE_CASE_STATUSES).count()


@transaction.atomic
def referral_assign(*, referral: Referral, supervisor: Supervisor, by: User) -> Referral:
    _open(referral, ReferralStatus.AWAITING_ASSIGNMENT)
    if supervisor.programme_id != referral.programme_id:
        raise SupervisionError("Choose a supervisor of this programme.")
    Supervisor.objects.select_for_update().get(pk=supervisor.pk)  # one assignment at a time
    if active_cases(supervisor) >= supervisor.capacity:
        raise SupervisionError(
            f"{supervisor.user} already has {supervisor.capacity} active cases, their capacity."
        )
    if supervisor.user_id in {u.pk for u in _partners(referral.pair)}:
        raise SupervisionError("A partner of this pair cannot supervise it.")
    referral.supervisor = supervisor
    referral.status = ReferralStatus.AWAITING_SUPERVISOR
    referral.save(update_fields=["supervisor", "status", "updated_at"])
    _event(referral, EventKind.ASSIGNED, by, note=str(supervisor.user))
    return referral


# --- The supervisor -----------------------------------------------------------------------------


def _mine(referral: Referral, user: User) -> None:
    if referral.supervisor is None or referral.supervisor.user_id != user.pk:
        raise SupervisionError("This case is not assigned to you.")


@transaction.atomic
def referral_accept(*, referral: Referral, by: User) -> Referral:
    _mine(referral, by)
    _open(referral, ReferralStatus.AWAITING_SUPERVISOR)
    referral.status = ReferralStatus.IN_SUPERVISION
    referral.save(update_fields=["status", "updated_at"])
    _event(referral, EventKind.ACCEPTED, by)
    return referral


@transaction.atomic
def referral_hand_back(*, referral: Referral, by: User, reason: str) -> Referral:
    """The supervisor cannot take it (a conflict of interest, no capacity): back to triage."""
    _mine(referral, by)
    _open(referral, ReferralStatus.AWAITING_SUPERVISOR, ReferralStatus.IN_SUPERVISION)
    if not reason.strip():
        raise SupervisionError("Say why, for the coordinator.")
    referral.supervisor = None
    referral.status = ReferralStatus.AWAITING_ASSIGNMENT
    referral.save(update_fields=["supervisor", "status", "updated_at"])
    _event(referral, EventKind.HANDED_BACK, by, note=reason)
    return referral


def session_people(referral: Referral) -> list[User]:
    """Who a case's sessions are with: the person it concerns, or both partners."""
    if referral.route == Route.INDIVIDUAL and referral.person is not None:
        return [referral.person]
    return _partners(referral.pair)


@transaction.atomic
def session_book(
    *,
    referral: Referral,
    by: User,
    starts_at: datetime,
    duration_minutes: int,
    mode: str,
    place: str,
) -> SupervisionSession:
    _mine(referral, by)
    _open(referral, ReferralStatus.IN_SUPERVISION)
    session = SupervisionSession.objects.create(
        referral=referral,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=SessionMode(mode),
        place=place.strip(),
    )
    _tell_of_session(session)
    return session


def _tell_of_session(session: SupervisionSession) -> None:
    """The people it is with hear of it in their next digest (and find it in their calendar)."""
    referral = session.referral
    programme = referral.programme
    organisation = programme.organisation
    when = timezone.localtime(session.starts_at, organisation.zone)
    path = reverse("supervision:mine", args=[organisation.slug, programme.pk])
    reminders_add(
        [
            Reminder(
                organisation=organisation,
                topic=programme_topic(programme.pk),
                recipient=person,
                key=f"supervision-booked:{session.pk}:{person.pk}",
                subject=f"{programme.name}: a supervision session on {when:%-d %B at %H:%M}",
                body=f"{session.get_mode_display()}, {session.duration_minutes} minutes. "
                "It is also in your programme calendar.",
                url=absolute_url(path),
                due_at=timezone.now(),
            )
            for person in session_people(referral)
        ],
    )


def note_add(*, referral: Referral, author: User, text: str) -> SupervisionNote:
    _mine(referral, author)
    return SupervisionNote.objects.create(referral=referral, author=author, text=text.strip())


@transaction.atomic
def outcome_record(*, referral: Referral, by: User, outcome: str, close: bool) -> Referral:
    """The supervisor's outcome, which the coordinator sees; closing ends the case."""
    _mine(referral, by)
    _open(referral, ReferralStatus.IN_SUPERVISION)
    return _record_outcome(referral, by, Outcome(outcome), close)


@transaction.atomic
def referral_conclude(*, referral: Referral, by: User, outcome: str) -> Referral:
    """The coordinator closes a referral they handled themselves, with its outcome."""
    _open(referral, ReferralStatus.WITH_COORDINATOR, ReferralStatus.ON_GROUP_AGENDA)
    return _record_outcome(referral, by, Outcome(outcome), close=True)


def _record_outcome(referral: Referral, by: User, outcome: Outcome, close: bool) -> Referral:
    referral.outcome = outcome
    fields = ["outcome", "updated_at"]
    _event(referral, EventKind.OUTCOME, by, note=outcome.label)
    if close:
        referral.status, referral.closed_at = ReferralStatus.CLOSED, timezone.now()
        fields += ["status", "closed_at"]
        _event(referral, EventKind.CLOSED, by)
    referral.save(update_fields=fields)
    return referral


@transaction.atomic
def pair_end_after_referral(*, referral: Referral, by: User) -> Pair:
    """The coordinator follows a recommendation to end the pair: the no-blame ending (its
    partners can then be matched again)."""
    if referral.outcome != Outcome.END_PAIR:
        raise SupervisionError("Only a recommendation to end the pair leads here.")
    pair = Pair.objects.select_related("senior", "junior").get(pk=referral.pair_id)
    return pair_status_set(
        pair=pair,
        status=PairStatus.ENDED_EARLY,
        by=by,
        note="Ended without blame, as supervision recommended",
    )


# --- The pool ------------------------------------------------------------------------------------


def supervisor_place(
    *, programme: Programme, user: User, kind: str = "internal", capacity: int = 3, background=""
) -> Supervisor:
    """Someone with the supervisor role takes a place in the pool (called when the role is
    given, and when the coordinator sets a place's details)."""
    supervisor, _ = Supervisor.objects.update_or_create(
        programme=programme,
        user=user,
        defaults={"kind": kind, "capacity": capacity, "background": background.strip()},
    )
    return supervisor


def supervisor_place_for_role(*, programme: Programme, user: User, role: str) -> None:
    """Programmes' hook: whoever is given the supervisor role has a place in the pool."""
    if role == Role.SUPERVISOR:
        Supervisor.objects.get_or_create(
            programme=programme, user=user, defaults={"kind": "internal", "capacity": 3}
        )


# --- Combined group sessions ---------------------------------------------------------------------


@transaction.atomic
def group_facilitation_set(
    *,
    session: GroupSession,
    facilitator: Supervisor | None,
    external_facilitator: str,
    ground_rules: str = DEFAULT_GROUND_RULES,
    analysis_days_ahead: int = 7,
) -> GroupSupervision:
    """Who facilitates a combined session, its ground rules and when its analysis of themes
    goes out; the participants of every active pair are invited. Changed ground rules are
    acknowledged anew."""
    if facilitator is None and not external_facilitator.strip():
        raise SupervisionError("Choose a supervisor of the programme or name the facilitator.")
    if facilitator is not None and facilitator.programme_id != session.programme_id:
        raise SupervisionError("Choose a supervisor of this programme.")
    before = (
        GroupSupervision.objects.filter(session=session)
        .values_list("ground_rules", flat=True)
        .first()
    )
    supervision, _ = GroupSupervision.objects.update_or_create(
        session=session,
        defaults={
            "facilitator": facilitator,
            "external_facilitator": "" if facilitator else external_facilitator.strip(),
            "ground_rules": ground_rules.strip(),
            "analysis_days_ahead": analysis_days_ahead,
        },
    )
    if before is not None and before != supervision.ground_rules:
        Attendance.objects.filter(session=session).update(ground_rules_acknowledged_at=None)
    group_session_invite(session=session)
    return supervision


def ground_rules_acknowledge(*, session: GroupSession, user: User) -> Attendance:
    """Someone invited acknowledges the session's confidentiality ground rules."""
    attendance = Attendance.objects.filter(session=session, user=user).first()
    if attendance is None:
        raise SupervisionError("Only people invited to the session acknowledge its ground rules.")
    if attendance.ground_rules_acknowledged_at is None:
        attendance.ground_rules_acknowledged_at = timezone.now()
        attendance.save(update_fields=["ground_rules_acknowledged_at"])
    return attendance


def group_notes_share(*, session: GroupSession, by: User, notes: str) -> GroupSupervision:
    """The facilitator (or a coordinator) shares the session's notes with those who attended."""
    _may_facilitate(session, by)
    supervision = GroupSupervision.objects.filter(session=session).first()
    if supervision is None:
        raise SupervisionError("Choose the facilitator first.")
    supervision.notes = notes.strip()
    supervision.notes_shared_at = timezone.now() if supervision.notes else None
    supervision.save(update_fields=["notes", "notes_shared_at"])
    return supervision


def group_session_invite(*, session: GroupSession) -> int:
    """Invite every participant of a pair that is meeting (those already invited stay)."""
    pairs = Pair.objects.filter(programme=session.programme_id, status=PairStatus.ACTIVE)
    users = set(pairs.values_list("senior__user", flat=True)) | set(
        pairs.values_list("junior__user", flat=True)
    )
    users.discard(None)
    created = Attendance.objects.bulk_create(
        (Attendance(session=session, user_id=user_id) for user_id in users), ignore_conflicts=True
    )
    return len(created)


def _may_facilitate(session: GroupSession, user: User) -> None:
    runs = ProgrammeMember.objects.filter(
        programme=session.programme_id, user=user, role=Role.COORDINATOR
    ).exists()
    facilitates = GroupSupervision.objects.filter(session=session, facilitator__user=user).exists()
    if not (runs or facilitates):
        raise SupervisionError("Only the session's facilitator or a coordinator records this.")


@transaction.atomic
def attendance_record(*, session: GroupSession, by: User, attended: Iterable[int]) -> int:
    """Exactly these invited people attended; everyone else invited did not."""
    _may_facilitate(session, by)
    attended = set(attended)
    invited = Attendance.objects.filter(session=session)
    invited.filter(user_id__in=attended).update(attended=True)
    invited.filter(~Q(user_id__in=attended)).update(attended=False)
    return invited.filter(attended=True).count()
