from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .hooks import address_problems, invitations_described, programmes_named
from .models import AuditEntry, Invitation, Membership, Organisation, PersonalExport, User
from .sign_in import with_sign_in_facts


def memberships_of(user: User) -> list[Membership]:
    """A person's own memberships across organisations, with each organisation, by its name, and
    what its sign-in policy asks of them (their own data, so no scope applies)."""
    memberships = list(
        with_sign_in_facts(Membership.objects.with_scopes_disabled())
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for membership in memberships:
        membership.user = user  # at hand already: reading it costs nothing
    return memberships


def memberships_of_request(request: HttpRequest) -> list[Membership]:
    """The signed-in person's memberships, read once per request: the tenant middleware finds the
    current one among them and the navbar's organisation switcher lists them."""
    memberships = getattr(request, "_memberships", None)
    if memberships is None:
        memberships = request._memberships = memberships_of(request.user)
    return memberships


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user")


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Neither used nor cancelled (an expired one may still be sent again)."""
    return (
        Invitation.objects.filter(organisation=organisation).waiting().select_related("invited_by")
    )


def invitation_by_token(token: str) -> Invitation | None:
    """Looked up by its secret token, which is the invitee's only credential before they join."""
    return (
        Invitation.objects.with_scopes_disabled()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )


def filter_people(people: QuerySet, *, q: str = "", role: str = "") -> QuerySet:
    """Narrow a queryset of rows with a `user` and a `role` by name or e-mail, and by role."""
    if q:
        people = people.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    if role:
        people = people.filter(role=role)
    return people


def invitation_purposes(invitations: Iterable[Invitation]) -> dict[int, str]:
    """What each invitation is for beyond joining the organisation, as the apps above say."""
    invitations = list(invitations)
    purposes = {invitation.pk: "" for invitation in invitations}
    for described in invitations_described.send(invitations=invitations):
        for invitation_id, phrase in described.items():
            purposes[invitation_id] += phrase
    return purposes


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    purpose: str
    email_problem: str


def open_invitation_rows(
    organisation: Organisation, invitations: Iterable[Invitation]
) -> list[InvitationRow]:
    """`invitations` (a page of `open_invitations`) with what each is for and any problem with
    its address."""
    invitations = list(invitations)
    purposes = invitation_purposes(invitations)
    problems = address_problems_of(organisation, [i.email for i in invitations])
    return [
        InvitationRow(invitation, purposes[invitation.pk], problems.get(invitation.email, ""))
        for invitation in invitations
    ]


@dataclass(frozen=True)
class PersonRow:
    """Someone in a list (a member, a programme role) with what is wrong with their address."""

    person: Any
    email_problem: str


def person_rows(organisation: Organisation, people: Iterable[Any]) -> list[PersonRow]:
    """`people` are rows with a `user`, such as memberships or programme roles."""
    people = list(people)
    problems = address_problems_of(organisation, [p.user.email for p in people])
    return [PersonRow(p, problems.get(p.user.email.lower(), "")) for p in people]


def address_problems_of(organisation: Organisation, addresses: Iterable[str]) -> dict[str, str]:
    """What the apps above know is wrong with these addresses (e.g. mail bounced)."""
    addresses = [address.lower() for address in addresses]
    problems: dict[str, str] = {}
    for found in address_problems.send(organisation=organisation, addresses=addresses):
        problems.update(found)
    return problems


def audit_entries(
    organisation: Organisation,
    *,
    action: str = "",
    q: str = "",
    subject: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The organisation's audit log, newest first, narrowed by what was done, by whom (name or
    e-mail of the actor or the person concerned), the kind of record and the days."""
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor", "person")
    if action:
        entries = entries.filter(action=action)
    if q:
        entries = entries.filter(
            Q(actor__full_name__icontains=q)
            | Q(actor__email__icontains=q)
            | Q(person__full_name__icontains=q)
            | Q(person__email__icontains=q)
        )
    if subject:
        entries = entries.filter(subject__startswith=subject)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


SUBJECT_WORDS = {
    "concern": "a confidential concern",
    "referral": "a referral",
    "red_flag": "red flags",
    "selection_note": "selection notes",
    "diversity_data:matching": "diversity answers, for matching",
    "pairs_csv": "the pairs spreadsheet",
    "systemic_issues_csv": "the systemic-issue register spreadsheet",
    "personal_data": "a person's data",
}


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    what: str
    programme: str


def audit_subject_words(subject: str) -> str:
    if subject in SUBJECT_WORDS:
        return SUBJECT_WORDS[subject]
    kind, _, rest = subject.partition(":")
    if kind in ("role", "org") and rest:
        return f"the {rest.replace('_', ' ')} role"
    if kind == "report" and rest:
        return f"a report ({rest.replace('_', ' ')})"
    return subject.replace("_", " ")


def audit_rows(organisation: Organisation, entries: Iterable[AuditEntry]) -> list[AuditRow]:
    entries = list(entries)
    ids = {entry.programme_id for entry in entries if entry.programme_id}
    names: dict[int, str] = {}
    if ids:
        for found in programmes_named.send(organisation=organisation, ids=ids):
            names.update(found)
    return [
        AuditRow(
            entry,
            audit_subject_words(entry.subject),
            names.get(entry.programme_id or 0, "a removed programme" if entry.programme_id else ""),
        )
        for entry in entries
    ]


def own_exports(organisation: Organisation, person: User) -> QuerySet[PersonalExport]:
    """A person's exports of their own data: only they ever see or download them."""
    return PersonalExport.objects.filter(organisation=organisation, person=person)
