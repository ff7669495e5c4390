"""The evaluation report's generated prose: pure functions of its figures, no models, no database.

Plurals go through `ngettext` and dates through Django's date formats, so the report reads right
for one or many and in the active language.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from .figures import Headline, Participation, SurveyRate, Timeline
    from .systemic import SystemicFigures

AdherenceState = Literal[
    "unrecorded", "finished_late", "on_time", "overdue", "under_way", "due", "not_due"
]
LATE: frozenset[AdherenceState] = frozenset({"finished_late", "overdue"})


def generated_on(now: datetime) -> str:
    return date_format(now, "j F Y")


def generated_at(now: datetime) -> str:
    return date_format(now, "j F Y, H:i T")


def survey_dates(opens_on: date, closes_on: date) -> str:
    """When a survey was open: "3 Mar to 14 Apr 2025", the first year only if it differs."""
    opens = date_format(opens_on, "j M" if opens_on.year == closes_on.year else "j M Y")
    return gettext("%(opens)s to %(closes)s") % {
        "opens": opens,
        "closes": date_format(closes_on, "j M Y"),
    }


def adherence(state: AdherenceState, days: int = 0) -> str:
    """How a stage kept to its plan; `days` is how late it finished or how long it is overdue."""
    match state:
        case "unrecorded":
            return gettext("Done; finish date not recorded")
        case "finished_late":
            return ngettext("Finished %(days)d day late", "Finished %(days)d days late", days) % {
                "days": days
            }
        case "on_time":
            return gettext("On time")
        case "overdue":
            return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", days) % {
                "days": days
            }
        case "under_way":
            return gettext("Under way")
        case "due":
            return gettext("Due to have started")
        case "not_due":
            return gettext("Not due yet")


def stages_done(done: int, total: int, late: int) -> str:
    """The timeline chapter's opening sentence."""
    return ngettext(
        "%(done)d of %(total)d stages are done; %(late)d finished late or is overdue.",
        "%(done)d of %(total)d stages are done; %(late)d finished late or are overdue.",
        late,
    ) % {"done": done, "total": total, "late": late}


def proposed_not_counted(proposed: int) -> str:
    if not proposed:
        return ""
    return ngettext(
        "A further %(count)d proposed pair had not been published and is not counted.",
        "A further %(count)d proposed pairs had not been published and are not counted.",
        proposed,
    ) % {"count": proposed}


def answers_written(written: int, quotable: int, *, themes: bool = False) -> str:
    """How many wrote a free-text answer (or a theme) and how many of them allowed quoting."""
    if not written:
        return ""
    if themes:
        text = ngettext(
            "%(written)d person wrote a theme; %(quotable)d of them allowed quoting.",
            "%(written)d people wrote a theme; %(quotable)d of them allowed quoting.",
            written,
        )
    else:
        text = ngettext(
            "%(written)d person wrote an answer; %(quotable)d of them allowed quoting.",
            "%(written)d people wrote an answer; %(quotable)d of them allowed quoting.",
            written,
        )
    return text % {"written": written, "quotable": quotable}


def _pairs(count: int | None, threshold: int) -> str:
    if count is None:
        return gettext("fewer than %(threshold)d pairs") % {"threshold": threshold}
    return ngettext("%(count)d pair", "%(count)d pairs", count) % {"count": count}


def _actions(figures: "SystemicFigures") -> str:
    if not figures.actions:
        return gettext("but no action has been agreed yet.")
    done = ngettext(
        "with %(actions)d action: %(done)d done",
        "with %(actions)d actions: %(done)d done",
        figures.actions,
    ) % {"actions": figures.actions, "done": figures.actions_done}
    if figures.quick_wins_done:
        done += ngettext(
            " (%(count)d of them a quick win)",
            " (%(count)d of them quick wins)",
            figures.quick_wins_done,
        ) % {"count": figures.quick_wins_done}
    remaining = gettext("%(open)d still to do") % {"open": figures.open_actions}
    if figures.overdue_actions:
        remaining += gettext(", %(overdue)d of them overdue") % {"overdue": figures.overdue_actions}
    return gettext("%(done)s and %(remaining)s.") % {"done": done, "remaining": remaining}


def systemic_story(figures: "SystemicFigures") -> list[str]:
    """The systemic chapter's opening: from the pairs' themes to what changed."""
    story = [
        ngettext(
            "The pairs shared %(themes)d theme with the cohort, from %(pairs)s.",
            "The pairs shared %(themes)d themes with the cohort, from %(pairs)s.",
            figures.shared_themes,
        )
        % {
            "themes": figures.shared_themes,
            "pairs": _pairs(figures.pairs_sharing, figures.threshold),
        }
    ]
    if figures.recurring:
        recur = ngettext(
            "They recur as %(count)d programme theme",
            "They recur as %(count)d programme themes",
            len(figures.recurring),
        ) % {"count": len(figures.recurring)}
        if figures.sessions_held:
            recur += ngettext(
                ", taken to %(sessions)d combined group session.",
                ", taken to %(sessions)d combined group sessions.",
                figures.sessions_held,
            ) % {"sessions": figures.sessions_held}
        else:
            recur += gettext(", ready for the first combined group session.")
        story.append(recur)
    issues = len(figures.issues)
    if not issues:
        story.append(gettext("No systemic issue has been opened in the register yet."))
        return story
    story.append(
        ngettext(
            "%(issues)d systemic issue was identified (%(open)d still open), %(actions)s",
            "%(issues)d systemic issues were identified (%(open)d still open), %(actions)s",
            issues,
        )
        % {"issues": issues, "open": figures.open_issues, "actions": _actions(figures)}
    )
    return story


def hard_measures_recorded(total: int, with_later: int) -> str:
    """The hard measures' opening sentence."""
    if not total:
        return gettext(
            "No hard measures have been recorded yet. The coordinator records them, with their "
            "source, on the programme's hard measures page."
        )
    recorded = ngettext(
        "%(total)d hard measure is recorded", "%(total)d hard measures are recorded", total
    ) % {"total": total}
    if with_later == total:
        later = ngettext(
            "with its figure before the programme and a later one.",
            "each with its figure before the programme and a later one.",
            total,
        )
    elif not with_later:
        later = gettext("with the figures before the programme; later ones are not known yet.")
    else:
        later = ngettext(
            "with the figures before the programme; %(later)d has a later one so far.",
            "with the figures before the programme; %(later)d have a later one so far.",
            with_later,
        ) % {"later": with_later}
    return f"{recorded}, {later}"


def no_evaluation_survey() -> str:
    return gettext("There is no evaluation survey in this programme.")


def no_chart_by_side(threshold: int) -> str:
    return ngettext(
        "No chart by side: every figure by side is hidden, as fewer than %(threshold)d person "
        "on a side answered.",
        "No chart by side: every figure by side is hidden, as fewer than %(threshold)d people "
        "on a side answered.",
        threshold,
    ) % {"threshold": threshold}


# --- The executive summary's key messages --------------------------------------------------------


def key_messages(
    participation: "Participation",
    timeline: "Timeline",
    headlines: Sequence["Headline"],
    evaluation: "SurveyRate",
) -> list[str]:
    return [
        *_pairs_messages(participation),
        _change_message(headlines),
        *_evaluation_message(evaluation),
        ngettext(
            "%(done)d of %(total)d stages are done; %(late)d stage finished late or is overdue.",
            "%(done)d of %(total)d stages are done; %(late)d stages finished late or are overdue.",
            timeline.late,
        )
        % {"done": timeline.done, "total": len(timeline.rows), "late": timeline.late},
    ]


def _pairs_messages(participation: "Participation") -> list[str]:
    started = participation.started
    if not started.pairs:
        return [gettext("No pairs have started yet.")]
    ended = participation.ended_early.pairs
    figures = {
        "pairs": started.pairs,
        "active": participation.active.pairs,
        "completed": participation.completed.pairs,
        "ended": ended,
        "percent": round(100 * ended / started.pairs),
    }
    started_message = ngettext(
        "%(pairs)d pair started: %(active)d still active, %(completed)d completed and "
        "%(ended)d ended early (%(percent)d%%).",
        "%(pairs)d pairs started: %(active)d still active, %(completed)d completed and "
        "%(ended)d ended early (%(percent)d%%).",
        started.pairs,
    )
    meetings_message = ngettext(
        "The pairs logged %(meetings)d meeting, a mean of %(mean).1f per pair.",
        "The pairs logged %(meetings)d meetings, a mean of %(mean).1f per pair.",
        started.meetings,
    )
    return [
        started_message % figures,
        meetings_message % {"meetings": started.meetings, "mean": started.mean},
    ]


def _change_message(headlines: Sequence["Headline"]) -> str:
    changes = [h for h in headlines if h.change is not None and h.scale == "1-5"]
    if not changes:
        return gettext(
            "No change since the baseline can be shown yet: the baseline or the evaluation "
            "survey has too few responses."
        )
    best = max(changes, key=lambda h: h.change)
    worst = min(changes, key=lambda h: h.change)
    figures = {
        "best": best.label.lower(),
        "best_change": f"{best.change:+.1f}",
        "worst": worst.label.lower(),
        "worst_change": f"{worst.change:+.1f}",
    }
    if worst is best:
        return (
            gettext(
                "Since the baseline, the largest change is in %(best)s (%(best_change)s on a "
                "1-5 scale)."
            )
            % figures
        )
    return (
        gettext(
            "Since the baseline, the largest change is in %(best)s (%(best_change)s on a 1-5 "
            "scale); the smallest in %(worst)s (%(worst_change)s)."
        )
        % figures
    )


def _evaluation_message(evaluation: "SurveyRate") -> list[str]:
    if not evaluation.present:
        return []
    if evaluation.expected and not evaluation.submitted:
        return [
            gettext("Nobody has answered the evaluation survey yet (%(invited)d invited).")
            % {"invited": evaluation.expected}
        ]
    if evaluation.rate is None:
        return []
    return [
        gettext(
            "%(rate)d%% of participants answered the evaluation survey "
            "(%(submitted)d of %(expected)d)."
        )
        % {
            "rate": evaluation.rate,
            "submitted": evaluation.submitted,
            "expected": evaluation.expected,
        }
    ]
