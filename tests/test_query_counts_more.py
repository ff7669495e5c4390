"""The supervision and themes pages, and the coordinator's surveys and reports pages, take the
same number of queries for 2 pairs as for 20, and exactly the number each is known to take, at
most 12 (issue 17), as test_query_counts checks the other key pages.

Each size gets test_query_counts's world, and on it, through the services, what these pages
list, all of it growing with the pairs: every pair shares themes (grouped by hand into recurring
themes, proposed by a grouping run, or left ungrouped, some with the pair's names), the first
pair drafts a theme for each pair; a combined session has the recurring themes on its agenda
with volunteers to lead them, referrals put to the group and a facilitator from the pool, and
the next one's analysis has gone out (with its PDF); the register holds an issue for every
recurring theme, the first with an action and its progress for each pair; every pair's case has
a session and a note, the first case one of each for every pair; the steering member refers
every pair (half of them offered pair supervision, which both partners are asked to agree to);
the first pair's senior raises a referral for every pair's worth of worries (half declined);
the pool has a supervisor for every pair; a survey with quotable answers has closed; there are
hard measures for every pair, and a summary report is ready.

The POST-only pages (a session's facilitator, ground rules, notes and attendance; a consent;
an issue's progress) have no GET to count: their refused forms render the pages counted here.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from organisations.roles import Role
from pairs.models import Pair
from programmes.models import GroupSession
from programmes.services import group_session_update, programme_setup_update
from reports.models import ProgrammeReport, ReportKind, ReportStatus
from reports.services import report_request
from supervision.models import Referral, ReferralStatus, Supervisor
from supervision.services import (
    attendance_record,
    consent_answer,
    ground_rules_acknowledge,
    group_facilitation_set,
    group_notes_share,
    note_add,
    referral_decline,
    referral_route,
    session_book,
)
from surveys.models import HardMeasure, Question, Survey, SurveyKind
from surveys.services import hard_measure_save
from themes.models import AgendaItem, RecurringTheme, SystemicIssue, Theme
from themes.services import (
    action_add,
    action_update,
    agenda_item_add,
    analysis_send,
    grouping_request,
    issue_close,
    issue_open,
    lead_confirm,
    lead_offer,
    progress_record,
    recurring_create,
    theme_add,
    theme_agree,
)

from . import factories
from .test_query_counts import MOST, queries_of, world
from .urls import programme_url


def _share(pair: Pair, title: str, noticed: str, *, named: bool = False) -> Theme:
    theme = _draft(pair, title, noticed)
    for partner in (pair.senior.user, pair.junior.user):
        theme = theme_agree(theme=theme, by=partner, with_names=named)
    return theme


def _draft(pair: Pair, title: str, noticed: str) -> Theme:
    values = {"title": title, "noticed": noticed, "system": "promotion", "quick_win": False}
    return theme_add(pair=pair, by=pair.senior.user, values=values)


def _themes(base: dict, on_commit) -> tuple[RecurringTheme, list[RecurringTheme]]:
    """Every pair shares four themes: one in the recurring theme of them all, one in a recurring
    theme of two pairs, one the grouping run proposes, one shared after it (with the pair's
    names); the first pair also drafts one for each pair, agreed by its junior."""
    running, pairs, coordinator = base["running"], base["pairs"], base["coordinator"]
    first, first_pair = pairs[0], []
    of_two: list[list[Theme]] = []
    with on_commit(execute=True):  # the worker proposes groupings once the request commits
        for n, pair in enumerate(pairs):
            first_pair.append(_share(pair, "Calibration nobody records", f"Pair {n} at panel"))
            theme = _share(pair, f"Acting-up {n // 2}", f"Acting-up roles go to friends ({n})")
            if n % 2 == 0:
                of_two.append([])
            of_two[-1].append(theme)
            _share(pair, "Night shifts never counted", f"Night shifts never count for pair {n}")
            draft = _draft(first, f"Draft {n}", f"Something we noticed at meeting {n}")
            theme_agree(theme=draft, by=first.junior.user, with_names=False)
        everyone = recurring_create(
            programme=running, title="Calibration", system="promotion", themes=first_pair
        )
        pairs_of_two = [
            recurring_create(
                programme=running, title=f"Acting-up {k}", system="promotion", themes=themes
            )
            for k, themes in enumerate(of_two)
        ]
        grouping_request(programme=running, by=coordinator)
    for n, pair in enumerate(pairs):
        _share(pair, f"Exit interviews {n}", f"Nobody reads exit interview {n}", named=True)
    return everyone, pairs_of_two


def _agenda(session: GroupSession, recurring: list[RecurringTheme], pairs: list[Pair]) -> None:
    """Every recurring theme on the session's agenda; each pair's senior volunteers to lead the
    first and their own, and leads their own."""
    items = [agenda_item_add(session=session, recurring=theme) for theme in recurring]
    for n, pair in enumerate(pairs):
        for item in (items[0], items[1 + n // 2]):
            lead_offer(item=item, user=pair.senior.user)
        lead_confirm(item=items[1 + n // 2], user=pair.senior.user)


def _register(
    base: dict, everyone: RecurringTheme, pairs_of_two: list[RecurringTheme], at: GroupSession
) -> SystemicIssue:
    """An issue for every recurring theme; the first with an action for each pair (owned in
    turn by the coordinator and the steering member, every other one done, with a note) and
    progress recorded at the session; the others with two actions, every third one closed."""
    running, coordinator, steering = base["running"], base["coordinator"], base["steering"]

    def opened(title: str, recurring: RecurringTheme) -> SystemicIssue:
        values = {
            "title": title,
            "description": f"What {title} is",
            "system": "promotion",
            "data_gaps": "Panel outcomes by grade",
            "owner": coordinator,
        }
        return issue_open(programme=running, by=coordinator, values=values, recurring=[recurring])

    def action(issue: SystemicIssue, text: str, owner, days: int):
        values = {"text": text, "owner": owner, "due": timezone.localdate() + timedelta(days=days)}
        return action_add(issue=issue, values={**values, "quick_win": days % 3 == 0})

    calibration = opened("Calibration unrecorded", everyone)
    for n in range(len(base["pairs"])):
        owner = (coordinator, steering)[n % 2]
        done = action(calibration, f"Record panel {n}", owner, n - 3)
        if n % 2:
            action_update(action=done, by=owner, status="done", note=f"Done {n}", session=at)
        progress_record(issue=calibration, by=coordinator, text=f"Progress {n}", session=at)
    for k, recurring in enumerate(pairs_of_two):
        issue = opened(f"Acting-up issue {k}", recurring)
        for days in (7, -7):
            action(issue, f"Advertise acting-up {k} ({days})", steering, days)
        if k % 3 == 2:
            issue_close(issue=issue, by=coordinator, note="Acting-up roles are advertised now")
    return calibration


def _supervision(base: dict, session: GroupSession) -> Referral:
    """Cases with sessions and notes, a pool of a supervisor for each pair, the steering
    member's referrals, the first pair's senior's, and referrals put to the group."""
    running, pairs, coordinator = base["running"], base["pairs"], base["coordinator"]
    supervisor_user, steering = base["supervisor"], base["steering"]
    cases = list(Referral.objects.filter(programme=running, supervisor__isnull=False))
    for n, case in enumerate(cases):
        for referral in (case, cases[0]):
            session_book(
                referral=referral,
                by=supervisor_user,
                starts_at=timezone.make_aware(datetime.combine(timezone.localdate(), time(9)))
                + timedelta(days=n + 1),
                duration_minutes=60,
                mode="virtual",
                place="",
            )
            note_add(referral=referral, author=supervisor_user, text=f"Note {n}")
    for n in range(len(pairs)):
        user = factories.programme_person(running, Role.SUPERVISOR)
        Supervisor.objects.filter(programme=running, user=user).update(capacity=n % 3)
    group_facilitation_set(
        session=session, facilitator=base["supervisor_record"], external_facilitator=""
    )
    referred: list[Referral] = []
    worried = pairs[0].senior.user
    for n, pair in enumerate(pairs):
        by_steering = factories.referral(
            pair, steering, text=f"Steering worry {n}", raised_as=Role.STEERING
        )
        if n % 2 == 0:
            referral_route(referral=by_steering, by=coordinator, route="pair")
        referred.append(by_steering)
        mine = factories.referral(pairs[0], worried, text=f"Our worry {n}")
        if n % 2:
            referral_decline(referral=mine, by=coordinator, reason=f"Not for supervision ({n})")
        to_group = factories.referral(pair, pair.senior.user, text=f"For the group {n}")
        referral_route(
            referral=to_group,
            by=coordinator,
            route="group",
            suits_group=True,
            summary=f"A partner finds panel feedback vague ({n})",
        )
        consent = to_group.consents.get()
        consent_answer(consent=consent, user=pair.senior.user, agreed=True)
    invited = [pair.senior.user.pk for pair in pairs] + [pair.junior.user.pk for pair in pairs[1:]]
    attendance_record(session=session, by=supervisor_user, attended=invited)
    ground_rules_acknowledge(session=session, user=worried)
    group_notes_share(session=session, by=supervisor_user, notes="We talked about panels")
    assert Referral.objects.filter(
        programme=running, status=ReferralStatus.ON_GROUP_AGENDA
    ).count() == len(pairs)
    return referred[0]


def _surveys(base: dict, size: int) -> tuple[Survey, Survey]:
    """A survey every participant answered in words they allow to be quoted (the programme's
    threshold lowered to three, so two pairs' quotes show too), now closed; hard measures."""
    running = base["running"]
    programme_setup_update(programme=running, anonymity_threshold=3)
    survey = factories.open_survey(running, title="Reflections")
    for pair in base["pairs"]:
        for profile in (pair.senior, pair.junior):
            text = f"What {profile.user.full_name} would keep"
            factories.answer(survey, profile.user, value=4, text=text, quote=True)
    factories.close_survey(survey)
    for n in range(size):
        hard_measure_save(
            programme=running,
            values={
                "name": f"Retention after twelve months ({n})",
                "before_value": Decimal("80.5"),
                "before_on": date(2026, 1, 1),
                "after_value": Decimal(str(81 + n % 10)),
                "after_on": date(2026, 11, 1),
                "source": "HR system, headcount report",
            },
        )
    return survey, Survey.objects.get(programme=running, kind=SurveyKind.EVALUATION)


def _sessions_ahead(programme) -> tuple[GroupSession, GroupSession]:
    """The first monthly combined session moved to today (the first before it to yesterday),
    the next to tomorrow, whatever day the tests run on: referrals go to the next session."""
    first, *monthly = GroupSession.objects.filter(programme=programme).order_by("sequence")
    today = timezone.localdate()
    for session, day in ((first, -1), (monthly[0], 0), (monthly[1], 1)):
        group_session_update(
            session=session,
            day=today + timedelta(days=day),
            start_time=time(14),
            duration_minutes=150,
            location="The big room",
        )
    return monthly[0], monthly[1]


def richer_world(org, size: int, on_commit) -> dict:
    """test_query_counts's world, with what the supervision, themes, surveys and reports pages
    list; tasks queued on commit (the grouping run, the PDFs) run as a worker would."""
    base = world(org, size)
    running = base["running"]
    # As they are now (world() gave them their steering member in one UPDATE).
    pairs = base["pairs"] = [
        Pair.objects.select_related("senior__user", "junior__user").get(pk=pair.pk)
        for pair in base["pairs"]
    ]
    session, next_session = _sessions_ahead(running)
    everyone, pairs_of_two = _themes(base, on_commit)
    with on_commit(execute=True):  # the PDFs are rendered once their requests commit
        _agenda(session, [everyone, *pairs_of_two], pairs)
        issue = _register(base, everyone, pairs_of_two, session)
        referral = _supervision(base, session)
        survey, builder = _surveys(base, size)
        group_facilitation_set(
            session=next_session, facilitator=base["supervisor_record"], external_facilitator=""
        )
        _agenda(next_session, [everyone, *pairs_of_two], pairs)
        analysis_send(session=next_session, now=timezone.now())
        report = report_request(
            programme=running, requested_by=base["coordinator"], kind=ReportKind.SUMMARY
        )
    ready = ProgrammeReport.objects.filter(status=ReportStatus.READY, programme=running)
    assert ready.count() == 2, list(ready.values_list("kind", "status"))
    case = Referral.objects.filter(programme=running, supervisor__isnull=False).earliest("pk")
    question = Question.objects.filter(survey=builder).order_by("position").first()
    text_question = Question.objects.get(survey=survey, kind="text")
    measure = HardMeasure.objects.filter(programme=running).first()
    proposals = RecurringTheme.objects.filter(programme=running, status="proposed")
    ungrouped = Theme.objects.filter(pair__programme=running, shared_at__isnull=False)
    assert proposals.count() == 1 and ungrouped.filter(recurring=None).count() == size
    assert AgendaItem.objects.filter(session=session).count() == 1 + (size + 1) // 2
    url = lambda name, *args: programme_url(name, running, *args)  # noqa: E731
    return {
        **base,
        "pages": [
            # Supervision
            ("participant", url("supervision:mine")),
            ("steering", url("supervision:mine")),
            ("coordinator", url("supervision:ask")),
            ("coordinator", url("supervision:ask") + f"?pair={referral.pair_id}"),
            ("steering", url("supervision:ask")),
            ("participant", url("supervision:ask")),
            ("coordinator", url("supervision:triage")),
            ("coordinator", url("supervision:referral", referral.pk)),
            ("coordinator", url("supervision:pool")),
            ("supervisor", url("supervision:cases")),
            ("supervisor", url("supervision:case", case.pk)),
            ("coordinator", url("supervision:group_sessions")),
            ("participant", url("supervision:group_sessions")),
            ("coordinator", url("supervision:group_session", session.pk)),
            ("supervisor", url("supervision:group_session", session.pk)),
            ("participant", url("supervision:group_session", session.pk)),
            ("participant", url("supervision:group_session", next_session.pk)),
            # Themes
            ("participant", url("themes:ours")),
            ("coordinator", url("themes:cohort")),
            ("supervisor", url("themes:cohort")),
            ("coordinator", url("themes:grouping_status")),
            ("coordinator", url("themes:recurring", everyone.pk)),
            ("supervisor", url("themes:recurring", everyone.pk)),
            ("coordinator", url("themes:analysis", session.pk)),
            ("coordinator", url("themes:analysis", next_session.pk)),
            ("participant", url("themes:analysis", next_session.pk)),
            ("coordinator", url("themes:register")),
            ("steering", url("themes:register")),
            ("coordinator", url("themes:register_csv")),
            ("coordinator", url("themes:issue_new")),
            ("coordinator", url("themes:issue", issue.pk)),
            ("steering", url("themes:issue", issue.pk)),
            # Surveys and reports
            ("coordinator", url("surveys:list")),
            ("participant", url("surveys:list")),
            ("coordinator", url("surveys:edit", builder.pk)),
            ("coordinator", url("surveys:question", builder.pk, question.pk)),
            ("coordinator", url("surveys:preview", builder.pk)),
            ("coordinator", url("surveys:results", survey.pk)),
            ("coordinator", url("surveys:quotes", survey.pk, text_question.pk)),
            ("coordinator", url("surveys:measures")),
            ("coordinator", url("surveys:measure_edit", measure.pk)),
            ("coordinator", url("reports:list")),
            ("coordinator", url("reports:detail", report.pk)),
            ("coordinator", url("reports:download", report.pk)),
            ("participant", url("reports:analysis_pdf", next_session.pk)),
            ("coordinator", url("reports:analysis_pdf", next_session.pk)),
        ],
    }


# In the order of richer_world's pages, counted as test_query_counts counts them (a page that
# records its reading or a download counts the three queries of the audit task, run at once).
EXACT = [
    # mine (participant, steering), asking (coordinator, for a pair, steering, participant),
    # triage, a referral, the pool, cases, a case,
    # group sessions (coordinator, participant), a session (coordinator, facilitator,
    # participant; the next, its analysis sent, for a participant)
    *(7, 7, 5, 5, 5, 5, 6, 11, 5, 6, 10, 6, 6, 12, 10, 10, 10),
    # ours, cohort (coordinator, facilitator), grouping status, a recurring theme (coordinator,
    # facilitator), analyses (preview, sent for coordinator and participant), the register
    # (coordinator, steering), its CSV, a new issue, an issue (coordinator, steering)
    *(9, 11, 11, 5, 9, 8, 11, 6, 8, 8, 8, 10, 7, 11, 9),
    # surveys (coordinator, participant), builder, question, preview, results, quotes, hard
    # measures, one to edit, reports, a report, its download, the analysis PDF (participant,
    # coordinator)
    *(6, 7, 9, 9, 6, 8, 8, 7, 6, 6, 5, 8, 11, 9),
]


@pytest.mark.django_db
def test_the_supervision_themes_surveys_and_reports_pages_take_the_same_known_queries(
    client, org, django_capture_on_commit_callbacks
):
    small = richer_world(org, 2, django_capture_on_commit_callbacks)
    large = richer_world(org, 20, django_capture_on_commit_callbacks)
    assert len(EXACT) == len(small["pages"])
    wrong, seen = [], []
    for (role, small_url), (_, large_url), exact in zip(
        small["pages"], large["pages"], EXACT, strict=True
    ):
        counts = (
            queries_of(client, small[role], small_url),
            queries_of(client, large[role], large_url),
        )
        seen.append(counts)
        if counts != (exact, exact):
            wrong.append(
                f"{role} {large_url}: {counts[0]} for 2 pairs, {counts[1]} for 20, not {exact}"
            )
    assert not wrong, "\n".join(wrong) + f"\n{seen}"
    assert max(EXACT) <= MOST
