"""What themes reminds people of, through the daily digest (registered with notifications in
ThemesConfig.ready): an overdue action, weekly to its owner; a theme the partner agreed to share.
No reminder holds a word of a draft theme."""

from collections.abc import Sequence
from datetime import date

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.urls import reverse

from notifications.due import Due, mark_of
from notifications.models import Reminder
from notifications.registry import ReminderKind, SweepContext
from organisations.emails import absolute_url
from programmes.reminders import programme_topic_of

from .models import IssueAction, Theme, ThemeConsent
from .selectors import overdue_actions


def _iso_week(day: date) -> str:
    week = day.isocalendar()
    return f"{week.year}-{week.week}"


def actions_overdue(due: Due) -> QuerySet[IssueAction]:
    """Overdue actions, once in each (ISO) week of the organisation's calendar."""
    week = due.on_each_day(_iso_week, CharField())
    return overdue_actions(due.today()).annotate(
        topic=programme_topic_of("issue__programme_id"),
        mark=mark_of("action-overdue", "pk", week),
    )


def themes_agreed_by_one(due: Due) -> QuerySet[Theme]:
    """Unshared themes a partner has agreed to share, as their agreements stand (the latest)."""
    latest_consent = ThemeConsent.objects.filter(theme=OuterRef("pk")).order_by("-pk")
    return (
        Theme.objects.filter(shared_at__isnull=True)
        .annotate(latest_consent=Subquery(latest_consent.values("pk")[:1]))
        .filter(latest_consent__isnull=False)
        .select_related("pair__senior", "pair__junior", "pair__programme")
        .annotate(
            topic=programme_topic_of("pair__programme_id"),
            mark=mark_of("theme-agree", "pk", "latest_consent"),
        )
    )


def _overdue_actions(context: SweepContext, actions: Sequence[IssueAction]) -> list[Reminder]:
    org = context.organisation
    reminders = []
    for action in actions:
        issue = action.issue
        url = reverse("themes:issue", args=[org.slug, issue.programme_id, issue.pk])
        reminders.append(
            context.reminder(
                action,
                action.owner_id,
                key=action.mark,  # the owner alone, so the mark is the key
                subject=f"{issue.programme.name}: an action of yours was due on "
                f"{action.due:%-d %B}",
                body=f"{action.text} (for “{issue.title}”). Mark what has happened, or ask the "
                "coordinator to move the date.",
                url=absolute_url(url),
            )
        )
    return reminders


def _partner_agreed(context: SweepContext, themes: Sequence[Theme]) -> list[Reminder]:
    """A draft one partner has agreed to share waits for the other."""
    org = context.organisation
    agreed: dict[int, set[int]] = {}
    consents = ThemeConsent.objects.filter(theme__in=[theme.pk for theme in themes])
    for theme_id, user_id in consents.values_list("theme", "user"):
        agreed.setdefault(theme_id, set()).add(user_id)
    reminders = []
    for theme in themes:
        pair = theme.pair
        for user_id in {pair.senior.user_id, pair.junior.user_id} - agreed.get(theme.pk, set()):
            if user_id is None:
                continue
            url = reverse("themes:ours", args=[org.slug, pair.programme_id])
            reminders.append(
                context.reminder(
                    theme,
                    user_id,
                    # Once for each person, however often the agreements change.
                    key=f"theme-agree:{theme.pk}:{user_id}",
                    subject=f"{pair.programme.name}: your partner would share a theme with "
                    "the cohort",
                    body="It is shared only if you agree too. Read it on your pair's themes.",
                    url=absolute_url(url),
                )
            )
    return reminders


THEMES_REMINDERS = (
    ReminderKind(
        organisation="issue__programme__organisation",
        due=actions_overdue,
        produce=_overdue_actions,
    ),
    ReminderKind(
        organisation="pair__programme__organisation",
        due=themes_agreed_by_one,
        produce=_partner_agreed,
    ),
)
