"""What pairs holds about a person, for their export and for erasure: the profile and one-pager,
diversity answers, the pairs they are in with meetings and agreements, and what they wrote."""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import (
    Agreement,
    Concern,
    ConcernAction,
    DiversityData,
    LearningGoal,
    Meeting,
    Pair,
    PairEvent,
    Profile,
    Pulse,
    Reflection,
    SelectionNote,
    SteeringCheckIn,
)
from .services import pair_figures_refresh

# What a partner's page, the cohort and every list show for someone whose data was erased.
FORMER_PARTICIPANT = "A former participant"
ERASED_ADDRESS_DOMAIN = "erased.invalid"


def pairs_export(organisation: Organisation, person: User) -> dict[str, Records]:
    profiles = Profile.objects.filter(programme__organisation=organisation, user=person)
    profiles = profiles.select_related("programme", "diversity")
    pairs = list(
        Pair.objects.filter(programme__organisation=organisation)
        .filter(Q(senior__user=person) | Q(junior__user=person))
        .select_related("programme", "senior", "junior")
    )
    mine = Q(pair__in=pairs)
    return {
        "Profiles and one-page statements": [
            record(
                p,
                *PROFILE_FIELDS,
                "meeting_preference",
                "decision",
                "created_at",
                programme=p.programme.name,
            )
            for p in profiles
        ],
        "Diversity answers": [
            record(d, "consented_at", "consent_text", "answers", programme=p.programme.name)
            for p in profiles
            if (d := getattr(p, "diversity", None)) is not None
        ],
        "Pairs you are in": [
            record(
                pair,
                "status",
                "published_at",
                programme=pair.programme.name,
                partner=str(pair.junior if pair.senior.user_id == person.pk else pair.senior),
            )
            for pair in pairs
        ],
        "Meetings": [
            record(m, "date", "duration_minutes", "mode", "location", "shared_notes")
            for m in Meeting.objects.filter(mine).order_by("date", "pk")
        ],
        "Agreements": [
            record(
                a,
                "version",
                "meeting_frequency",
                "meeting_place",
                "confidentiality",
                "ground_rules",
                "proposed_at",
                "senior_confirmed_at",
                "junior_confirmed_at",
            )
            for a in Agreement.objects.filter(mine).order_by("pair_id", "version")
        ],
        "Your learning goals": [
            record(g, "text", "created_at") for g in LearningGoal.objects.filter(mine, owner=person)
        ],
        "Your private reflections": [
            record(r, "text", "created_at", meeting=r.meeting.date)
            for r in Reflection.objects.filter(author=person, meeting__pair__in=pairs)
            .select_related("meeting")
            .order_by("meeting__date")
        ],
        "Your pulse answers": [
            record(
                p,
                "spoke_openly",
                "learned",
                "partner_learned",
                "going",
                "comment",
                "created_at",
                meeting=p.meeting.date,
            )
            for p in Pulse.objects.filter(mine, author=person).select_related("meeting")
        ],
        "Concerns you raised": [
            record(c, "text", "status", "created_at")
            for c in Concern.objects.filter(mine, raised_by=person)
        ],
    }


PROFILE_FIELDS = (
    "full_name",
    "email",
    "side",
    "job_title",
    "department",
    "function",
    "grade",
    "location",
    "line_manager_email",
    "hoped_learning",
    "aspirations",
    "availability",
)
TRAITS_FIELDS = ("openness", "values_diversity", "curiosity", "challenges_status_quo", "listening")


def pairs_erase(erasure: Erasure) -> int:
    """Whatever they wrote goes; their profile stays, anonymised, so the pairs they were in and
    every count stay true ("a former participant" on the partner's page)."""
    touched = 0
    for rows in (
        erasure.rows(Reflection.objects, "meeting__pair__programme", "author"),
        erasure.rows(Pulse.objects, "pair__programme", "author"),
        erasure.rows(LearningGoal.objects, "pair__programme", "owner"),
        erasure.rows(Concern.objects, "pair__programme", "raised_by"),
        erasure.rows(DiversityData.objects, "profile__programme", "profile__user"),
        erasure.rows(SelectionNote.objects, "profile__programme", "profile__user"),
    ):
        touched += rows.delete()[0]
    for rows, blank in (
        (erasure.rows(Meeting.objects, "pair__programme", "logged_by"), ("shared_notes",)),
        (
            erasure.rows(Agreement.objects, "pair__programme", "proposed_by"),
            ("confidentiality", "ground_rules"),
        ),
        (erasure.rows(SteeringCheckIn.objects, "pair__programme", "by"), ("note",)),
        (erasure.rows(ConcernAction.objects, "concern__pair__programme", "by"), ("note",)),
        (erasure.rows(PairEvent.objects, "pair__programme", "by"), ("note",)),
    ):
        touched += rows.update(**dict.fromkeys(blank, ""))
    pairs = erasure.rows(Pair.objects, "programme", "senior__user", "junior__user")
    touched += pairs.update(pulse_flags=[])
    pair_figures_refresh(pairs=pairs)  # their concerns went, and with them the open count
    profiles = erasure.rows(Profile.objects, "programme", "user")
    touched += profiles.update(
        user=None,
        full_name=FORMER_PARTICIPANT,
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value(f"@{ERASED_ADDRESS_DOMAIN}")),
        **dict.fromkeys(set(PROFILE_FIELDS) - {"full_name", "email", "side", "grade"}, ""),
        **dict.fromkeys(TRAITS_FIELDS, None),
    )
    return touched
