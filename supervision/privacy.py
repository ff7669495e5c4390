"""What supervision holds about a person: referrals they raised or that concern them, the
supervision offered to them, group sessions they attended, and notes a supervisor wrote."""

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import (
    AgendaIssue,
    Attendance,
    Consent,
    Referral,
    ReferralEvent,
    SupervisionNote,
    Supervisor,
)

# A referral reaches a person through whoever raised it and whomever it concerns.
REFERRAL_PEOPLE = ("raised_by", "person")


def supervision_export(organisation: Organisation, person: User) -> dict[str, Records]:
    referrals = Referral.objects.filter(programme__organisation=organisation, raised_by=person)
    return {
        "Referrals you raised": [
            record(
                r,
                "text",
                "urgency",
                "concerning",
                "status",
                "decline_reason",
                "outcome",
                "created_at",
                "closed_at",
                programme=r.programme.name,
            )
            for r in referrals.select_related("programme")
        ],
        "Supervision offered to you": [
            record(c, "agreed", "asked_at", "answered_at")
            for c in Consent.objects.filter(
                referral__programme__organisation=organisation, user=person
            )
        ],
        "Group sessions you were invited to": [
            record(a, "attended", "ground_rules_acknowledged_at", date=a.session.date)
            for a in Attendance.objects.filter(
                session__programme__organisation=organisation, user=person
            ).select_related("session")
        ],
    }


def supervision_erase(erasure: Erasure) -> int:
    """The text of referrals they raised goes, and the notes on them; those rows stay (without
    text) so the programme's counts stay true. A referral about them alone goes entirely."""
    touched = 0
    for rows in (
        erasure.rows(
            SupervisionNote.objects,
            "referral__programme",
            "author",
            *(f"referral__{path}" for path in REFERRAL_PEOPLE),
        ),
        erasure.rows(Consent.objects, "referral__programme", "user"),
        erasure.rows(Attendance.objects, "session__programme", "user"),
    ):
        touched += rows.delete()[0]
    if erasure.person is not None:
        # A referral about one person is about nobody once they are gone; it goes with them.
        touched += erasure.rows(Referral.objects, "programme", "person").delete()[0]
        touched += erasure.rows(Supervisor.objects, "programme", "user").delete()[0]
    events = erasure.rows(
        ReferralEvent.objects,
        "referral__programme",
        "by",
        *(f"referral__{path}" for path in REFERRAL_PEOPLE),
    )
    touched += events.update(note="")
    issues = erasure.rows(
        AgendaIssue.objects,
        "session__programme",
        *(f"referral__{path}" for path in REFERRAL_PEOPLE),
    )
    touched += issues.update(summary="")
    referrals = erasure.rows(Referral.objects, "programme", *REFERRAL_PEOPLE)
    touched += referrals.update(text="", decline_reason="", group_summary="")
    return touched
