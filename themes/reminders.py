"""What themes remind people of, through the daily digest (registered with notifications in
ThemesConfig.ready): an overdue action, weekly to its owner; a theme the partner agreed to share.
No reminder holds a word of a draft theme."""

from django.urls import reverse

from notifications.models import Reminder
from notifications.registry import SweepContext
from organisations.emails import absolute_url
from programmes.reminders import programme_topic

from .models import Theme, ThemeConsent
from .selectors import overdue_actions


def themes_reminders(context: SweepContext) -> list[Reminder]:
    return [*_overdue_actions(context), *_partner_agreed(context)]


def _overdue_actions(context: SweepContext) -> list[Reminder]:
    org = context.organisation
    week = context.today.isocalendar()
    reminders = []
    for action in overdue_actions(org.pk, context.today):
        issue = action.issue
        url = reverse("themes:issue", args=[org.slug, issue.programme_id, issue.pk])
        reminders.append(
            Reminder(
                organisation=org,
                topic=programme_topic(issue.programme_id),
                recipient_id=action.owner_id,
                key=f"action-overdue:{action.pk}:{week.year}-{week.week}",
                subject=f"{issue.programme.name}: an action of yours was due on "
                f"{action.due:%-d %B}",
                body=f"{action.text} (for “{issue.title}”). Mark what has happened, or ask the "
                "coordinator to move the date.",
                url=absolute_url(url),
                due_at=context.this_morning,
            )
        )
    return reminders


def _partner_agreed(context: SweepContext) -> list[Reminder]:
    """A draft one partner has agreed to share waits for the other."""
    org = context.organisation
    waiting = (
        Theme.objects.filter(pair__programme__organisation=org, shared_at__isnull=True)
        .filter(consents__isnull=False)
        .select_related("pair__senior", "pair__junior", "pair__programme")
        .distinct()
    )
    agreed: dict[int, set[int]] = {}
    for theme_id, user_id in ThemeConsent.objects.filter(theme__in=waiting).values_list(
        "theme", "user"
    ):
        agreed.setdefault(theme_id, set()).add(user_id)
    reminders = []
    for theme in waiting:
        pair = theme.pair
        for user_id in {pair.senior.user_id, pair.junior.user_id} - agreed.get(theme.pk, set()):
            if user_id is None:
                continue
            url = reverse("themes:ours", args=[org.slug, pair.programme_id])
            reminders.append(
                Reminder(
                    organisation=org,
                    topic=programme_topic(pair.programme_id),
                    recipient_id=user_id,
                    key=f"theme-agree:{theme.pk}:{user_id}",
                    subject=f"{pair.programme.name}: your partner would share a theme with "
                    "the cohort",
                    body="It is shared only if you agree too. Read it on your pair's themes.",
                    url=absolute_url(url),
                    due_at=context.this_morning,
                )
            )
    return reminders
