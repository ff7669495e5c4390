"""Erasure (GDPR article 17): a person deletes their account, or an organisation admin erases a
member. Every app erases or anonymises what it holds (through `personal_data`); the audit log
records that an erasure happened and how many rows it touched, nothing of what they held."""

from django.db import transaction
from django_scopes import scope, scopes_disabled

from .audit import audit_record
from .models import AuditAction, Membership, Organisation, PersonalExport, User
from .personal_data import Erasure, personal_data_holders


def personal_data_erase(erasure: Erasure) -> int:
    """Run every app's eraser; how many rows they erased or anonymised."""
    return sum(holder.erase(erasure) for holder in personal_data_holders())


def _erase_in(organisation: Organisation, person: User, *, by: User | None, how: str) -> int:
    touched = personal_data_erase(Erasure(organisation, person=person))
    exports = PersonalExport.objects.filter(organisation=organisation, person=person)
    for export in exports:
        export.file.delete(save=False)
    touched += exports.delete()[0]
    touched += Membership.objects.filter(organisation=organisation, user=person).delete()[0]
    audit_record(
        organisation=organisation,
        actor=by,
        action=AuditAction.ERASURE,
        subject=f"personal_data:{how}",
        count=touched,
    )
    return touched


def _account_delete(person: User) -> None:
    """What is left of the account itself: the person row, its addresses and sign-in records.
    Whatever still points at it is set to nobody or goes with it (the models say which)."""
    with scopes_disabled():
        person.delete()


@transaction.atomic
def member_erase(*, membership: Membership, by: User) -> int:
    """An organisation admin erases a member and everything the organisation holds about them.
    Their account goes too when no other organisation counts them as a member."""
    person = membership.user
    touched = _erase_in(membership.organisation, person, by=by, how="by_admin")
    if not Membership.objects.with_scopes_disabled().filter(user=person).exists():
        _account_delete(person)
    return touched


@transaction.atomic
def account_erase(*, person: User) -> int:
    """A person deletes their own account: erased in every organisation they belong to."""
    memberships = Membership.objects.with_scopes_disabled().filter(user=person)
    touched = 0
    for organisation in Organisation.objects.filter(
        pk__in=memberships.values_list("organisation_id", flat=True)
    ):
        with scope(organisation=organisation):
            touched += _erase_in(organisation, person, by=None, how="by_themselves")
    _account_delete(person)
    return touched
