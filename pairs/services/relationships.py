"""Writes for running relationships: agreements, goals, meetings, pulses, check-ins, concerns."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from organisations.models import User
from organisations.roles import Role
from programmes.models import ProgrammeMember

from ..hooks import concern_referred
from ..models import (
    Agreement,
    CheckInStatus,
    Concern,
    ConcernAction,
    ConcernActionKind,
    ConcernStatus,
    LearningGoal,
    Meeting,
    Pair,
    PairStatus,
    Pulse,
    Reflection,
    SteeringCheckIn,
    SupervisionWish,
)
from ..pulse import PulseAnswers, pulse_flags
from ..selectors import pair_figures
from .selection import PairsError, pair_status_set


def partner_side(pair: Pair, user: User) -> str:
    """Which side of the pair `user` is on; anyone else is refused."""
    if pair.senior.user_id == user.pk:
        return "senior"
    if pair.junior.user_id == user.pk:
        return "junior"
    raise PairsError("Only the two partners can do this.")


def pair_figures_refresh(*, pairs: QuerySet[Pair]) -> None:
    """Work the pairs' figures out again from their meetings, check-ins, agreements and
    concerns, in one query; every service that changes those calls it."""
    pairs.update(**pair_figures())


def _figures_refresh(pair_id: int) -> None:
    pair_figures_refresh(pairs=Pair.objects.filter(pk=pair_id))


def _active(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise PairsError("This pair is no longer active.")


@transaction.atomic
def agreement_propose(*, pair: Pair, by: User, values: Mapping[str, str]) -> Agreement:
    """A new version of the agreement; the proposer confirms it by proposing it."""
    _active(pair)
    side = partner_side(pair, by)
    Pair.objects.select_for_update().get(pk=pair.pk)  # one version number at a time
    latest = Agreement.objects.filter(pair=pair).order_by("-version").first()
    now = timezone.now()
    agreement = Agreement.objects.create(
        pair=pair,
        version=(latest.version + 1) if latest else 1,
        proposed_by=by,
        senior_confirmed_at=now if side == "senior" else None,
        junior_confirmed_at=now if side == "junior" else None,
        **values,
    )
    _figures_refresh(pair.pk)
    return agreement


@transaction.atomic
def agreement_confirm(*, agreement: Agreement, by: User, version: int) -> Agreement:
    """Confirm the version the person read; a newer proposal in the meantime is not confirmed."""
    side = partner_side(agreement.pair, by)
    if agreement.version != version:
        raise PairsError("Your partner has proposed a change since; read it and confirm that.")
    field = f"{side}_confirmed_at"
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        agreement.save(update_fields=[field])
        _figures_refresh(agreement.pair_id)
    return agreement


def goal_add(*, pair: Pair, owner: User, text: str) -> LearningGoal:
    partner_side(pair, owner)
    return LearningGoal.objects.create(pair=pair, owner=owner, text=text.strip())


def goal_remove(*, goal: LearningGoal, by: User) -> None:
    if goal.owner_id != by.pk:
        raise PairsError("Only its owner can remove a learning goal.")
    goal.delete()


@transaction.atomic
def meeting_log(
    *, pair: Pair, by: User, values: Mapping[str, object], reflection: str = ""
) -> Meeting:
    """Either partner logs a meeting: shared notes for both, a private reflection for the
    author alone."""
    _active(pair)
    partner_side(pair, by)
    meeting = Meeting.objects.create(pair=pair, logged_by=by, **values)
    _figures_refresh(pair.pk)
    if reflection.strip():
        reflection_save(meeting=meeting, author=by, text=reflection)
    return meeting


def reflection_save(*, meeting: Meeting, author: User, text: str) -> Reflection | None:
    partner_side(meeting.pair, author)
    if not text.strip():
        Reflection.objects.filter(meeting=meeting, author=author).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(
        meeting=meeting, author=author, defaults={"text": text.strip()}
    )
    return reflection


@transaction.atomic
def pulse_record(*, meeting: Meeting, author: User, answers: Mapping[str, object]) -> Pulse:
    """A partner's private pulse after a meeting; the pair's flags are worked out again."""
    pair = Pair.objects.select_for_update().get(pk=meeting.pair_id)  # flags see both pulses
    partner_side(pair, author)
    if Pulse.objects.filter(meeting=meeting, author=author).exists():
        raise PairsError("You have already answered the pulse for this meeting.")
    pulse = Pulse.objects.create(meeting=meeting, pair=pair, author=author, **answers)
    pair.pulse_flags = pulse_flags(*_latest_answers(pair))
    pair.save(update_fields=["pulse_flags"])
    return pulse


def _latest_answers(pair: Pair) -> tuple[PulseAnswers | None, PulseAnswers | None]:
    """Both partners' answers on the latest meeting they have both answered for."""
    pulses = Pulse.objects.filter(pair=pair).order_by("-meeting__date", "-meeting_id")
    by_meeting: dict[int, dict[int, Pulse]] = {}
    for pulse in pulses:
        answers = by_meeting.setdefault(pulse.meeting_id, {})
        answers[pulse.author_id] = pulse
        if len(answers) == 2:
            senior, junior = answers.get(pair.senior.user_id), answers.get(pair.junior.user_id)
            if senior and junior:
                return _answers(senior), _answers(junior)
    return None, None


def _answers(pulse: Pulse) -> PulseAnswers:
    return PulseAnswers(pulse.spoke_openly, pulse.learned, pulse.partner_learned, pulse.going)


def pair_steward_set(*, pair: Pair, steering_member: User | None) -> Pair:
    """The coordinator asks a steering-group member to look after a pair."""
    if (
        steering_member is not None
        and not ProgrammeMember.objects.filter(
            programme=pair.programme_id, user=steering_member, role=Role.STEERING
        ).exists()
    ):
        raise PairsError("Choose a member of the steering group.")
    if steering_member is not None and steering_member.pk in (
        pair.senior.user_id,
        pair.junior.user_id,
    ):
        raise PairsError("A partner cannot be their own pair's steering-group member.")
    pair.steering_member = steering_member
    pair.save(update_fields=["steering_member"])
    return pair


@transaction.atomic
def checkin_log(*, pair: Pair, by: User, day: date, status: str, note: str = "") -> SteeringCheckIn:
    if pair.steering_member_id != by.pk:
        raise PairsError("Only the steering-group member who looks after this pair checks in.")
    checkin = SteeringCheckIn.objects.create(
        pair=pair, by=by, date=day, status=CheckInStatus(status), note=note.strip()
    )
    _figures_refresh(pair.pk)
    return checkin


@transaction.atomic
def concern_raise(*, pair: Pair, by: User, text: str, supervision: str = "") -> Concern:
    """Tell the coordinator in confidence; the partner is not told. `supervision` is "yes" or
    "urgent" when the partner would like a supervisor's help with it too."""
    partner_side(pair, by)
    concern = Concern.objects.create(pair=pair, raised_by=by, text=text.strip())
    _figures_refresh(pair.pk)
    if supervision:
        concern_referred.send(concern=concern, by=by, urgent=supervision == SupervisionWish.URGENT)
    return concern


@transaction.atomic
def concern_act(*, concern: Concern, by: User, kind: str, note: str = "") -> ConcernAction:
    """Record what the coordinator did. Ending the pair keeps its history; it still counts."""
    kind = ConcernActionKind(kind)
    action = ConcernAction.objects.create(concern=concern, by=by, kind=kind, note=note.strip())
    if kind == ConcernActionKind.REFER:
        concern_referred.send(concern=concern, by=by, urgent=False)
    ends_pair = kind in (ConcernActionKind.END_PAIR, ConcernActionKind.REMATCH)
    if ends_pair and concern.pair.status == PairStatus.ACTIVE:
        pair_status_set(
            pair=concern.pair,
            status=PairStatus.ENDED_EARLY,
            by=by,
            note="Ended without blame after a confidential concern",
        )
    if kind in (ConcernActionKind.CLOSE, ConcernActionKind.END_PAIR, ConcernActionKind.REMATCH):
        concern.status = ConcernStatus.CLOSED
        concern.save(update_fields=["status"])
        _figures_refresh(concern.pair_id)
    return action
