"""What a referral's status means, in plain words for whoever raised it: never a word of the
supervisor's notes, and only the reason a coordinator gave when declining."""

from .models import Referral, ReferralStatus, Route

WORDS = {
    ReferralStatus.NEW: "The coordinator has it and will decide what happens next.",
    ReferralStatus.WITH_COORDINATOR: "The coordinator is looking after this.",
    ReferralStatus.AWAITING_CONSENT: "Supervision has been offered. It goes ahead once everyone "
    "it involves has agreed.",
    ReferralStatus.CONSENT_REFUSED: "Not everyone agreed to the supervision offered. The "
    "coordinator will decide what happens next.",
    ReferralStatus.AWAITING_ASSIGNMENT: "A supervisor is being found.",
    ReferralStatus.AWAITING_SUPERVISOR: "A supervisor has been asked to take it on.",
    ReferralStatus.IN_SUPERVISION: "A supervisor is working on it.",
    ReferralStatus.ON_GROUP_AGENDA: "It is on the agenda of the next group supervision, with no "
    "names or details that would identify anyone.",
    ReferralStatus.CLOSED: "Closed.",
}
OFFERED = {
    Route.INDIVIDUAL: "individual supervision",
    Route.PAIR: "supervision for the two partners together",
    Route.GROUP: "a group supervision discussion, anonymised",
}


def status_in_plain_words(referral: Referral) -> str:
    if referral.status == ReferralStatus.DECLINED:
        return f"The coordinator decided not to take it further: {referral.decline_reason}"
    return WORDS[ReferralStatus(referral.status)]


def what_is_offered(referral: Referral) -> str:
    """For someone asked to agree, who may not have raised it: what, never why."""
    return OFFERED.get(Route(referral.route), "supervision") if referral.route else "supervision"
