"""The analysis of themes, sent to everyone invited to a combined session (and its facilitator)
a set number of days before it, once. What it says is frozen when it goes out."""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format

from notifications.due import AddDays, Due
from notifications.registry import SweepContext
from organisations.emails import absolute_url, email_message, send_emails
from organisations.models import User
from programmes.models import GroupSession
from supervision.models import DEFAULT_GROUND_RULES, GroupSupervision
from supervision.services import group_session_invite

from ..hooks import analysis_sent
from ..models import Theme, ThemeAnalysis
from ..selectors import accepted_recurring, agenda, invited, open_issues

DEFAULT_DAYS_AHEAD = 7
GUIDING_QUESTIONS = (
    "What experiences do we share that illustrate systemic issues?",
    "What data don't we have that would define inequality and bias?",
    "What quick wins should we focus on?",
    "How do we use our different lived experiences?",
    "How do we give voice to those who lack it?",
    "How do we create enough role models to make change stick?",
    "What must change in the language we use?",
    "Who is not included but should be?",
)


def _facilitation(session: GroupSession) -> GroupSupervision | None:
    return (
        GroupSupervision.objects.filter(session=session).select_related("facilitator__user").first()
    )


def _previous_sent_at(session: GroupSession) -> datetime | None:
    """When the programme's last analysis went out, of another session."""
    return (
        ThemeAnalysis.objects.filter(session__programme=session.programme_id)
        .exclude(session=session)
        .filter(sent_at__isnull=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def analysis_content(session: GroupSession, now: datetime) -> dict:
    """What the analysis says: the recurring themes ranked by how many pairs raised them, what
    is new since the last analysis, the proposed agenda, the open issues with their actions,
    the ground rules and the guiding questions. Counts, never which pair."""
    programme = session.programme
    since = _previous_sent_at(session)
    recurring = accepted_recurring(programme)
    if since is not None:
        shared_since = Theme.objects.filter(recurring=OuterRef("pk"), shared_at__gt=since)
        recurring = recurring.annotate(new=Exists(shared_since))
    facilitation = _facilitation(session)
    ungrouped = Theme.objects.filter(
        pair__programme=programme, shared_at__isnull=False, recurring__isnull=True
    ).count()
    return {
        "session": str(session),
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "duration_minutes": session.duration_minutes,
        "location": session.location,
        "since": since.isoformat() if since else None,
        "recurring": [
            {
                "title": theme.title,
                "system": theme.get_system_display() if theme.system else "",
                "pairs": theme.pairs,
                "themes": theme.theme_count,
                "quick_wins": theme.quick_wins,
                "new": since is None or theme.new,
            }
            for theme in recurring
            if theme.pairs
        ],
        "ungrouped": ungrouped,
        "agenda": [
            {"title": item.recurring.title, "lead": str(item.lead) if item.lead else ""}
            for item in agenda(session)
        ],
        "issues": [
            {
                "title": issue.title,
                "owner": issue.owner,
                "actions": [
                    {
                        "text": action.text,
                        "owner": action.owner,
                        "due": action.due.isoformat(),
                        "status": action.status.label,
                        "quick_win": action.quick_win,
                    }
                    for action in issue.actions
                ],
            }
            for issue in open_issues(programme)
        ]
        if session.stage_number == 9
        else [],
        "ground_rules": facilitation.ground_rules if facilitation else DEFAULT_GROUND_RULES,
        "questions": list(GUIDING_QUESTIONS),
        "sent_at": now.isoformat(),
    }


def _recipients(session: GroupSession) -> list[User]:
    """Everyone invited, and the facilitator when they have an account here."""
    group_session_invite(session=session)
    people = [row.user for row in invited(session)]
    facilitation = _facilitation(session)
    if facilitation and facilitation.facilitator:
        people.append(facilitation.facilitator.user)
    return list({person.pk: person for person in people}.values())


@transaction.atomic
def analysis_send(*, session: GroupSession, now: datetime) -> ThemeAnalysis | None:
    """Send the analysis for this session, once: None if it has gone out already."""
    GroupSession.objects.select_for_update().get(pk=session.pk)
    if ThemeAnalysis.objects.filter(session=session).exists():
        return None
    analysis = ThemeAnalysis.objects.create(
        session=session, sent_at=now, content=analysis_content(session, now)
    )
    # Themes in an analysis that went out can no longer be withdrawn.
    Theme.objects.filter(
        pair__programme=session.programme_id, shared_at__isnull=False, locked_at__isnull=True
    ).update(locked_at=now)
    _email(analysis, _recipients(session))
    analysis_sent.send(analysis=analysis)
    return analysis


def _email(analysis: ThemeAnalysis, people: list[User]) -> None:
    session = analysis.session
    programme = session.programme
    organisation = programme.organisation
    path = reverse("themes:analysis", args=[organisation.slug, programme.pk, session.pk])
    when = date_format(session.date, "l j F")
    send_emails(
        [
            email_message(
                key=f"theme-analysis:{session.pk}:{person.pk}",
                to=person.email,
                organisation=organisation,
                subject=f"{programme.name}: the analysis of themes for {session} on {when}",
                template="theme_analysis",
                context={
                    "person": person,
                    "programme": programme,
                    "session": session,
                    "when": when,
                    "content": analysis.content,
                    "url": absolute_url(path),
                },
            )
            for person in people
            if person.email
        ]
    )


def days_ahead(session: GroupSession) -> int:
    facilitation = getattr(session, "supervision", None)
    return facilitation.analysis_days_ahead if facilitation else DEFAULT_DAYS_AHEAD


def sessions_due(due: Due) -> QuerySet[GroupSession]:
    """Sessions still to come (within 30 days) whose analysis should have gone out by today,
    `days_ahead` of them, and has not."""
    today = due.today()
    ahead = Coalesce("supervision__analysis_days_ahead", Value(DEFAULT_DAYS_AHEAD))
    return (
        GroupSession.objects.filter(
            date__gte=today,
            date__lte=AddDays(today, 30),
            theme_analysis__isnull=True,
        )
        .alias(sent_from=AddDays(today, ahead))  # an alias, so a session with no facilitation stays
        .filter(date__lte=F("sent_from"))
        .select_related("programme__organisation", "supervision")
    )


def analyses_due_send(context: SweepContext, sessions: QuerySet[GroupSession]) -> int:
    """The sweep's job, given the sessions `sessions_due` finds: send each one's analysis."""
    sent = 0
    for session in sessions.order_by("date", "pk"):
        sent += analysis_send(session=session, now=context.now) is not None
    return sent
