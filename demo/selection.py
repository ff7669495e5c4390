"""Selection and matching (stage 3): everyone who applied with their profile and one-pager,
the coordinator's notes and decisions, the pairs as the coordinator proposed them, and their
publication when stage 5 began."""

from organisations.models import User
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import Profile
from pairs.services import (
    decision_record,
    diversity_answers_give,
    matching_publish,
    pair_propose,
    participant_add,
    profile_update,
    selection_note_add,
)
from programmes.models import Programme

from .clock import as_of
from .story import Data, Days


def selection_load(
    *,
    programme: Programme,
    plan: Data,
    people: dict[str, Data],
    days: Days,
    users: dict[str, User],
) -> None:
    dates = plan["selection"]
    coordinator = users[plan["coordinator"]]
    profiles: dict[str, Profile] = {}
    for position, candidate in enumerate(plan["candidate"]):
        email = candidate["email"]
        # The applications came in over a week.
        with as_of(days.at(dates["applied_day"] + position % 7, "13:00")):
            profile = participant_add(
                programme=programme, user=users[email], side=candidate["side"]
            )
            profiles[email] = profile_update(profile=profile, values=people[email]["profile"])
            if "diversity" in people[email]:
                diversity_answers_give(profile=profile, answers=people[email]["diversity"])
    with as_of(days.at(dates["decided_day"] - 2, "16:00")):
        for candidate in plan["candidate"]:
            if "note" in candidate or "red_flag" in candidate:
                selection_note_add(
                    profile=profiles[candidate["email"]],
                    author=coordinator,
                    text=candidate.get("note", ""),
                    red_flag=candidate.get("red_flag", ""),
                )
    with as_of(days.at(dates["decided_day"], "10:00")):
        for candidate in plan["candidate"]:
            subject, body = DEFAULT_DECISION_WORDS[candidate["decision"]]
            decision_record(
                profile=profiles[candidate["email"]],
                decision=candidate["decision"],
                subject=subject.format(programme=programme.name),
                body=body.format(programme=programme.name),
            )
    # The pairs as the coordinator proposed them; the matching engine scores and explains each,
    # and would refuse one that breaks a hard rule.
    with as_of(days.at(dates["proposed_day"], "11:00")):
        for pair in plan["pair"]:
            pair_propose(
                programme=programme,
                senior=profiles[pair["senior"]],
                junior=profiles[pair["junior"]],
            )
    with as_of(days.at(dates["published_day"], "09:30")):
        matching_publish(programme=programme, by=coordinator)
