"""Themes: what the pairs captured and shared, the recurring themes the coordinator grouped them
into, the first combined session's agenda with its leads, the analysis that went out before it,
and the register of systemic issues with their actions."""

from organisations.models import User
from pairs.models import Meeting, Pair
from programmes.models import GroupSession, Programme
from supervision.services import ground_rules_acknowledge
from themes.models import AgendaItem, RecurringTheme, Theme
from themes.services import (
    action_add,
    action_update,
    agenda_item_add,
    analysis_send,
    grouping_request,
    groupings_propose,
    issue_open,
    lead_confirm,
    lead_offer,
    recurring_create,
    theme_add,
    theme_agree,
)

from .clock import as_of
from .story import Data, Days


def themes_load(*, programme: Programme, plan: Data, days: Days, users: dict[str, User]) -> None:
    data = plan.get("themes")
    if data is None:
        return
    pairs = {
        pair.senior.email: pair
        for pair in Pair.objects.filter(programme=programme).select_related("senior", "junior")
    }
    for story in data.get("theme", []):
        _theme(pairs[story["pair"]], story, days, users)
    for story in data.get("recurring", []):
        with as_of(days.at(story["day"], "11:00")):
            recurring_create(
                programme=programme,
                title=story["title"],
                system=story["system"],
                themes=Theme.objects.filter(pair__programme=programme, title__in=story["themes"]),
            )
    coordinator = users[plan["coordinator"]]
    _agenda(programme, data.get("agenda", []), days, users)
    for story in data.get("issue", []):
        _issue(programme, story, days, users, coordinator)
    if "analysis" in data:
        session = GroupSession.objects.get(
            programme=programme, sequence=data["analysis"]["session"]
        )
        moment = days.at(data["analysis"]["day"], "07:00")
        with as_of(moment):
            analysis_send(session=session, now=moment)
        for n, email in enumerate(data["analysis"].get("acknowledged_by", [])):
            with as_of(days.at(data["analysis"]["day"] + 1, f"{9 + n:02d}:15")):
                ground_rules_acknowledge(session=session, user=users[email])
    if "proposals" in data:
        _proposals(programme, data["proposals"], days, coordinator)


def _proposals(programme: Programme, story: Data, days: Days, coordinator: User) -> None:
    """The coordinator asked for groupings and the worker proposed them, that evening."""
    with as_of(days.at(story["day"], "17:00")):
        run = grouping_request(programme=programme, by=coordinator)
    with as_of(days.at(story["day"], "17:01")):
        groupings_propose(run=run)


def _theme(pair: Pair, story: Data, days: Days, users: dict[str, User]) -> None:
    meeting = None
    if story.get("after_meeting"):
        meeting = Meeting.objects.filter(pair=pair, date__lte=days.date(story["day"])).first()
    values = {
        field: story.get(field, False) for field in ("title", "noticed", "system", "quick_win")
    }
    with as_of(days.at(story["day"], "19:30")):
        theme = theme_add(
            pair=pair,
            by=users[story["by"]],
            values=values,
            source=story.get("source", "pair"),
            meeting=meeting,
        )
        for email in story.get("agreed_by", []):
            theme_agree(theme=theme, by=users[email], with_names=False)
    if "shared" in story:
        with as_of(days.at(story["shared"]["day"], "08:30")):
            for profile in (pair.senior, pair.junior):
                theme_agree(theme=theme, by=profile.user, with_names=story["shared"]["names"])


def _agenda(programme: Programme, agenda: list[Data], days: Days, users: dict[str, User]) -> None:
    for story in agenda:
        session = GroupSession.objects.get(programme=programme, sequence=story["session"])
        recurring = RecurringTheme.objects.get(programme=programme, title=story["recurring"])
        with as_of(days.at(62, "12:00")):
            item: AgendaItem = agenda_item_add(session=session, recurring=recurring)
        with as_of(days.at(63, "09:00")):
            for email in story.get("volunteers", []):
                lead_offer(item=item, user=users[email])
        if "lead" in story:
            with as_of(days.at(63, "16:00")):
                lead_confirm(item=item, user=users[story["lead"]])


def _issue(
    programme: Programme, story: Data, days: Days, users: dict[str, User], coordinator: User
) -> None:
    with as_of(days.at(story["day"], "10:00")):
        issue = issue_open(
            programme=programme,
            by=coordinator,
            values={
                **{field: story.get(field, "") for field in ("title", "description", "system")},
                "data_gaps": story.get("data_gaps", ""),
                "owner": users[story["owner"]],
            },
            recurring=RecurringTheme.objects.filter(
                programme=programme, title__in=story["recurring"]
            ),
        )
        actions = [
            (
                action_add(
                    issue=issue,
                    values={
                        "text": action["text"],
                        "owner": users[action["owner"]],
                        "due": days.date(action["due_day"]),
                        "quick_win": action.get("quick_win", False),
                    },
                ),
                action,
            )
            for action in story.get("action", [])
        ]
    for action, story_of_it in actions:
        if "status" in story_of_it:
            with as_of(days.at(story_of_it["status_day"], "15:00")):
                action_update(
                    action=action,
                    by=users[story_of_it["owner"]],
                    status=story_of_it["status"],
                    note=story_of_it.get("note", ""),
                )
