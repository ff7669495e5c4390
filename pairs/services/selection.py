"""Writes for participants, selection, matching and pairs."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.audit import audit_record
from organisations.emails import send_email
from organisations.models import AuditAction, Membership, User
from organisations.roles import Role
from organisations.services import InvitationError
from programmes.models import Programme, ProgrammeMember
from programmes.services import (
    Invitee,
    participant_invitations_create,
    programme_member_add,
    programme_role_audit,
)

from .. import engine as matching  # loaded where matching runs (numpy, scipy)
from ..cohort_csv import ParsedCohort, parse_cohort
from ..emails import pair_introductions_send
from ..models import (
    DIVERSITY_PURPOSE,
    KEEPS_ITS_PARTNERS,
    ApplicationLink,
    Decision,
    DiversityData,
    MatchingSettings,
    NeverPair,
    Pair,
    PairEvent,
    PairStatus,
    Profile,
    SelectionNote,
)
from ..selectors import publish_check


class PairsError(Exception):
    """A change the programme's rules do not allow; the message is for the user."""


# --- Bringing people in ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    parsed: ParsedCohort
    added: int = 0
    invited: int = 0


@transaction.atomic
def cohort_import(*, programme: Programme, data: bytes, invited_by: User) -> ImportReport:
    """Import a cohort from CSV, all or nothing: any bad row and nothing is imported.

    Members of the organisation join at once; everyone else is invited by e-mail. Each person
    gets a profile pre-filled from the file.
    """
    existing = Profile.objects.filter(programme=programme).values_list("email", flat=True)
    parsed = parse_cohort(data, set(existing), max_lengths=_cohort_max_lengths())
    if parsed.errors:
        return ImportReport(parsed)
    emails = [row.email for row in parsed.rows]
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(
            organisation=programme.organisation, user__email__in=emails
        ).select_related("user")
    }
    Profile.objects.bulk_create(
        Profile(
            programme=programme,
            user=members.get(row.email),
            email=row.email,
            full_name=row.name,
            side=row.side,
            department=row.department,
            grade=row.grade,
            line_manager_email=row.line_manager_email,
        )
        for row in parsed.rows
    )
    joined = ProgrammeMember.objects.bulk_create(
        (
            ProgrammeMember(programme=programme, user=user, role=Role.PARTICIPANT, side=row.side)
            for row in parsed.rows
            if (user := members.get(row.email))
        ),
        ignore_conflicts=True,
    )
    if joined:
        programme_role_audit(
            member=joined[0], action=AuditAction.ROLE_GRANTED, by=invited_by, count=len(joined)
        )
    invitations = participant_invitations_create(
        programme=programme,
        invited_by=invited_by,
        invitees=[
            Invitee(email=row.email, full_name=row.name, side=row.side)
            for row in parsed.rows
            if row.email not in members
        ],
    )
    return ImportReport(parsed, added=len(members), invited=len(invitations))


# The profile field each text column of a cohort file is stored in.
COHORT_FIELDS = {
    "name": "full_name",
    "email": "email",
    "department": "department",
    "line_manager_email": "line_manager_email",
}


def _cohort_max_lengths() -> dict[str, int]:
    return {
        column: Profile._meta.get_field(field).max_length for column, field in COHORT_FIELDS.items()
    }


@transaction.atomic
def participant_add(
    *, programme: Programme, user: User, side: str, granted_by: User | None = None
) -> Profile:
    """A member of the organisation joins as a participant, with a profile to fill in (made by
    `participant_profile_make`, which programmes' hook calls)."""
    programme_member_add(
        programme=programme, user=user, role=Role.PARTICIPANT, side=side, granted_by=granted_by
    )
    return Profile.objects.get(programme=programme, email=user.email.lower())


def participant_profile_make(*, programme: Programme, user: User, side: str) -> Profile:
    """Whoever becomes a participant has a profile; one made for their invitation is theirs."""
    profile, _ = Profile.objects.get_or_create(
        programme=programme,
        email=user.email.lower(),
        defaults={"user": user, "full_name": user.full_name or user.email, "side": side},
    )
    if profile.user_id is None:
        profile.user = user
        profile.save(update_fields=["user"])
    return profile


def invitee_profile_make(*, programme: Programme, email: str, side: str, full_name: str) -> Profile:
    """A profile waiting for an invited person; it becomes theirs when they accept. Until they
    give their own name, it carries the name they were invited by, else their address's."""
    profile, _ = Profile.objects.get_or_create(
        programme=programme,
        email=email.strip().lower(),
        defaults={"full_name": full_name.strip() or email.split("@")[0], "side": side},
    )
    return profile


def invitee_profile_withdraw(*, programme: Programme, email: str) -> None:
    """The profile that waited for an invited person goes once their invitation is cancelled,
    so selection and matching no longer count them; one already in a pair stays until the pair
    is changed."""
    waiting = Profile.objects.filter(
        programme=programme, email=email.strip().lower(), user__isnull=True
    ).first()
    if waiting is None:
        return
    if Pair.objects.filter(Q(senior=waiting) | Q(junior=waiting)).exists():
        raise InvitationError(
            f"{waiting} is in a pair. Change the pair on the matching page first, then cancel "
            "the invitation."
        )
    waiting.delete()


def application_link_set(*, programme: Programme, is_open: bool) -> ApplicationLink:
    link, _ = ApplicationLink.objects.get_or_create(programme=programme)
    link.is_open = is_open
    link.save(update_fields=["is_open"])
    return link


@transaction.atomic
def application_submit(
    *, programme: Programme, user: User, side: str, values: Mapping[str, object]
) -> Profile:
    """A colleague puts themselves forward through the application link: a candidate under
    review, with their profile and one-pager."""
    if (
        Profile.objects.filter(programme=programme, user__isnull=False)
        .filter(Q(user=user) | Q(email=user.email.lower()))
        .exists()
    ):
        raise PairsError("You have already applied to this programme.")
    profile = participant_add(programme=programme, user=user, side=side, granted_by=user)
    return profile_update(profile=profile, values=values)


def profile_update(*, profile: Profile, values: Mapping[str, object]) -> Profile:
    for field, value in values.items():
        setattr(profile, field, value)
    profile.save()
    return profile


# --- Diversity data: consent, answers, withdrawal -------------------------------------------


def diversity_answers_give(*, profile: Profile, answers: Mapping[str, str]) -> DiversityData:
    """Record answers under the explicit consent whose purpose the person has just read."""
    data, _ = DiversityData.objects.update_or_create(
        profile=profile,
        defaults={
            "answers": dict(answers),
            "consented_at": timezone.now(),
            "consent_text": DIVERSITY_PURPOSE,
        },
    )
    return data


def diversity_consent_withdraw(*, profile: Profile) -> None:
    """Withdrawing consent erases the answers, not just hides them."""
    DiversityData.objects.filter(profile=profile).delete()


# --- Selection ---------------------------------------------------------------------------------


def selection_note_add(
    *, profile: Profile, author: User, text: str, red_flag: str = ""
) -> SelectionNote:
    if not text.strip() and not red_flag:
        raise PairsError("Write a note or choose a red flag.")
    return SelectionNote.objects.create(
        profile=profile, author=author, text=text.strip(), red_flag=red_flag
    )


@transaction.atomic
def decision_record(*, profile: Profile, decision: str, subject: str, body: str) -> Profile:
    """Record the selection decision and tell the person by e-mail, in the coordinator's words."""
    if decision == Decision.PENDING:
        raise PairsError("Choose selected, wait-listed or not selected.")
    profile.decision = Decision(decision)
    profile.decided_at = timezone.now()
    profile.save(update_fields=["decision", "decided_at"])
    if profile.decision != Decision.SELECTED:  # no longer in the cohort: out of any proposal
        Pair.objects.filter(status=PairStatus.PROPOSED).filter(
            Q(senior=profile) | Q(junior=profile)
        ).delete()
    send_email(
        key=f"decision:{profile.pk}:{profile.decided_at.isoformat()}",
        to=profile.email,
        organisation=profile.programme.organisation,
        subject=subject,
        template="selection_decision",
        context={"profile": profile, "body": body},
    )
    return profile


@transaction.atomic
def decisions_record(
    *, profiles: Sequence[Profile], decision: str, subject: str, body: str
) -> list[Profile]:
    """The same decision for several candidates at once: each recorded and e-mailed exactly as
    `decision_record` does for one."""
    if not profiles:
        raise PairsError("Choose at least one candidate.")
    return [
        decision_record(profile=profile, decision=decision, subject=subject, body=body)
        for profile in profiles
    ]


# --- Matching ----------------------------------------------------------------------------------


def matching_settings_of(programme: Programme) -> MatchingSettings:
    """The programme's matching settings: the defaults, not yet saved, until the coordinator saves
    their own (so the matching page's GET writes nothing)."""
    saved = MatchingSettings.objects.filter(programme=programme).first()
    return saved or MatchingSettings(programme=programme)


def _candidate(profile: Profile, chains: Mapping[str, tuple[str, ...]]) -> "matching.Candidate":
    diversity = getattr(profile, "diversity", None)
    return matching.Candidate(
        key=str(profile.pk),
        email=profile.email,
        side=profile.side,
        name=profile.full_name,
        department=profile.department,
        function=profile.function,
        location=profile.location,
        grade=profile.grade,
        manager_chain=chains.get(profile.email, ()),
        diversity=diversity.answers if diversity else {},
    )


def _manager_chains(programme: Programme) -> dict[str, tuple[str, ...]]:
    """Everyone above each person in their reporting line, by e-mail, as far as the programme's
    profiles (and the line managers they name) reach."""
    managers = dict(
        Profile.objects.filter(programme=programme).values_list("email", "line_manager_email")
    )
    chains: dict[str, tuple[str, ...]] = {}
    for email in managers:
        chain: list[str] = []
        manager = managers.get(email) or ""
        while manager and manager not in chain and manager != email:
            chain.append(manager)
            manager = managers.get(manager) or ""
        chains[email] = tuple(chain)
    return chains


def _weights(settings: MatchingSettings) -> "matching.Weights":
    return matching.Weights(
        diversity=settings.diversity_weight,
        department=settings.department_weight,
        function=settings.function_weight,
        location=settings.location_weight,
        grade_gap=settings.grade_gap_weight,
    )


def _constraints(programme: Programme, settings: MatchingSettings) -> "matching.Constraints":
    never = NeverPair.objects.filter(programme=programme).values_list("senior_id", "junior_id")
    return matching.Constraints(
        min_grade_gap=settings.min_grade_gap,
        never=frozenset(frozenset({str(s), str(j)}) for s, j in never),
    )


@transaction.atomic
def matching_run(*, programme: Programme, by: User | None = None) -> "matching.Matching":
    """Propose pairs for every selected person not yet in a pair; locked proposals stay. The
    run is audited, with how many people's consented diversity answers it read."""
    settings = matching_settings_of(programme)
    Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED, locked=False).delete()
    # The locked proposals' partners stay candidates: the engine keeps those pairs as they are.
    taken = Pair.objects.filter(programme=programme, status__in=KEEPS_ITS_PARTNERS).exclude(
        status=PairStatus.PROPOSED
    )
    busy = set(taken.values_list("senior_id", flat=True)) | set(
        taken.values_list("junior_id", flat=True)
    )
    profiles = [
        p
        for p in Profile.objects.filter(programme=programme, decision=Decision.SELECTED)
        .select_related("diversity")
        .order_by("pk")
        if p.pk not in busy
    ]
    chains = _manager_chains(programme)
    candidates = {str(p.pk): _candidate(p, chains) for p in profiles}
    locked = Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED, locked=True)
    weights = _weights(settings)
    try:
        result = matching.match(
            [c for c in candidates.values() if c.side == "senior"],
            [c for c in candidates.values() if c.side == "junior"],
            weights,
            _constraints(programme, settings),
            locked=[(str(p.senior_id), str(p.junior_id)) for p in locked],
        )
    except matching.BrokenLock as error:  # a locked pair that the rules no longer allow
        raise PairsError(
            f"A locked pair breaks a hard rule now: {error.reason} Unlock it and run the "
            "matching again."
        ) from error
    Pair.objects.bulk_create(
        Pair(
            programme=programme,
            senior_id=int(proposed.senior),
            junior_id=int(proposed.junior),
            score=proposed.score,
            reasons=matching.explain(
                candidates[proposed.senior],
                candidates[proposed.junior],
                reveal_diversity=False,
                weights=weights,
            ),
            coordinator_reasons=matching.explain(
                candidates[proposed.senior],
                candidates[proposed.junior],
                reveal_diversity=True,
                weights=weights,
            ),
        )
        for proposed in result.pairs
        if not proposed.locked
    )
    _matching_audit(programme, by, proposed=len(result.pairs), profiles=profiles)
    return result


def _matching_audit(
    programme: Programme, by: User | None, *, proposed: int, profiles: list[Profile]
) -> None:
    organisation = programme.organisation
    audit_record(
        organisation=organisation,
        actor=by,
        action=AuditAction.MATCHING_RUN,
        programme_id=programme.pk,
        count=proposed,
    )
    consented = sum(1 for p in profiles if getattr(p, "diversity", None) is not None)
    if consented:
        audit_record(
            organisation=organisation,
            actor=by,
            action=AuditAction.RECORD_READ,
            subject="diversity_data:matching",
            programme_id=programme.pk,
            count=consented,
        )


def _proposed(pair: Pair) -> None:
    if pair.status != PairStatus.PROPOSED:
        raise PairsError("Only proposed pairs can be changed; this one is published.")


@transaction.atomic
def pairs_swap(*, first: Pair, second: Pair) -> tuple[Pair, Pair]:
    """Swap the junior partners of two proposed pairs; both become locked as the coordinator
    chose them."""
    for pair in (first, second):
        _proposed(pair)
    if first.pk == second.pk:
        raise PairsError("Choose two different pairs.")
    juniors = first.junior, second.junior
    # Step through a free state so the one-current-pair constraints hold at every statement.
    Pair.objects.filter(pk__in=[first.pk, second.pk]).update(status=PairStatus.ENDED_EARLY)
    first.junior, second.junior = juniors[1], juniors[0]
    for pair in (first, second):
        _describe(pair)
        pair.status, pair.locked = PairStatus.PROPOSED, True
        pair.save()
    return first, second


def _describe(pair: Pair) -> None:
    """Score and explain a pair the coordinator chose; refuse one that breaks a hard rule."""
    settings = matching_settings_of(pair.programme)
    chains = _manager_chains(pair.programme)
    senior, junior = _candidate(pair.senior, chains), _candidate(pair.junior, chains)
    if reason := matching.refusal_reason(senior, junior, _constraints(pair.programme, settings)):
        raise PairsError(f"Refused: {reason}")
    weights = _weights(settings)
    pair.score = matching.pair_score(senior, junior, weights)
    pair.reasons = matching.explain(senior, junior, reveal_diversity=False, weights=weights)
    pair.coordinator_reasons = matching.explain(
        senior, junior, reveal_diversity=True, weights=weights
    )


def _free_to_pair(programme: Programme, profile: Profile, side: str) -> None:
    """Refuse someone who is not a selected, unpaired person on this side of the programme."""
    if profile.programme_id != programme.pk or profile.side != side:
        raise PairsError(f"{profile} is not on the {side} side of this programme.")
    if profile.decision != Decision.SELECTED:
        raise PairsError(f"{profile} is not selected, so cannot be paired.")
    current = Pair.objects.filter(programme=programme, status__in=KEEPS_ITS_PARTNERS)
    if current.filter(Q(senior=profile) | Q(junior=profile)).exists():
        raise PairsError(f"{profile} is already in a pair.")


@transaction.atomic
def pair_propose(*, programme: Programme, senior: Profile, junior: Profile) -> Pair:
    """The coordinator pairs two unmatched, selected people by hand, within the hard rules; the
    pair is locked, so re-running the matching keeps it."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one at a time
    _free_to_pair(programme, senior, "senior")
    _free_to_pair(programme, junior, "junior")
    pair = Pair(programme=programme, senior=senior, junior=junior, locked=True)
    _describe(pair)
    pair.save()
    return pair


def pair_lock(*, pair: Pair, locked: bool) -> Pair:
    _proposed(pair)
    pair.locked = locked
    pair.save(update_fields=["locked"])
    return pair


@transaction.atomic
def pair_forbid(*, pair: Pair) -> NeverPair:
    """Never pair these two; the proposal goes, and the next run finds each someone else."""
    _proposed(pair)
    never, _ = NeverPair.objects.get_or_create(
        programme=pair.programme, senior=pair.senior, junior=pair.junior
    )
    pair.delete()
    return never


@transaction.atomic
def matching_publish(*, programme: Programme, by: User) -> int:
    """Make every proposed pair active and introduce the partners to each other by e-mail.

    Only once every partner has joined the organisation: each is sent to their partnership page.
    """
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one at a time
    check = publish_check(programme)
    if check.refusal:
        raise PairsError(check.refusal)
    pairs = list(check.pairs)
    now = timezone.now()
    for pair in pairs:
        pair.status, pair.published_at, pair.locked = PairStatus.ACTIVE, now, False
    Pair.objects.bulk_update(pairs, ["status", "published_at", "locked"])
    PairEvent.objects.bulk_create(
        PairEvent(pair=pair, status=PairStatus.ACTIVE, by=by, note="Published") for pair in pairs
    )
    for pair in pairs:
        pair.programme = programme
    pair_introductions_send(pairs=pairs)
    return len(pairs)


ALLOWED_MOVES = {
    PairStatus.ACTIVE: {PairStatus.COMPLETED, PairStatus.ENDED_EARLY},
}


def pair_status_set(*, pair: Pair, status: str, by: User, note: str = "") -> Pair:
    """Complete a pair, or end it early; either way it keeps its history."""
    status = PairStatus(status)
    if status not in ALLOWED_MOVES.get(PairStatus(pair.status), set()):
        raise PairsError(
            f"A {pair.get_status_display().lower()} pair cannot become {status.label.lower()}."
        )
    pair.status = status
    pair.save(update_fields=["status"])
    PairEvent.objects.create(pair=pair, status=status, by=by, note=note)
    if status == PairStatus.ENDED_EARLY:  # a rematch never brings the two back together
        NeverPair.objects.get_or_create(
            programme=pair.programme, senior=pair.senior, junior=pair.junior
        )
    return pair
