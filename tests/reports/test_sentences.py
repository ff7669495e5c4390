"""The evaluation report's sentences, from plain figures: no database."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.evaluation import sentences
from reports.evaluation.figures import (
    Headline,
    Participation,
    StageRow,
    StatusFigures,
    SurveyRate,
    Timeline,
)


def participation(active: int, completed: int = 0, ended: int = 0, meetings: int = 0):
    started = active + completed + ended
    mean = round(meetings / started, 1) if started else None
    return Participation(
        active=StatusFigures("Active", active, meetings, mean),
        completed=StatusFigures("Completed", completed, 0, None),
        ended_early=StatusFigures("Ended early", ended, 0, None),
        started=StatusFigures("Pairs started", started, meetings, mean),
        proposed=0,
        proposed_note="",
        bands=(),
        status_chart="",
        bands_chart="",
    )


def timeline(done: int, late: int, total: int = 10) -> Timeline:
    row = StageRow(
        1, "Commissioning", date(2026, 1, 1), date(2026, 2, 1), "Done", "done", None, "", False
    )
    return Timeline((row,) * total, done, late, "")


def headline(label: str, change: float | None, scale: str = "1-5") -> Headline:
    return Headline(label, scale, 2.0, 2.0 + (change or 0), change, 2, 2, "", "")


def rate(submitted: int, expected: int, present: bool = True) -> SurveyRate:
    completion = round(100 * submitted / expected) if expected else None
    return SurveyRate("Evaluation", "", submitted, expected, completion, present)


@pytest.mark.parametrize(
    ("state", "days", "expected"),
    [
        ("finished_late", 1, "Finished 1 day late"),
        ("finished_late", 9, "Finished 9 days late"),
        ("overdue", 1, "Overdue by 1 day"),
        ("overdue", 30, "Overdue by 30 days"),
        ("on_time", 0, "On time"),
        ("unrecorded", 0, "Done; finish date not recorded"),
        ("under_way", 0, "Under way"),
        ("due", 0, "Due to have started"),
        ("not_due", 0, "Not due yet"),
    ],
)
def test_a_stage_says_how_it_kept_to_its_plan(state, days, expected):
    assert sentences.adherence(state, days) == expected


def test_the_timeline_opens_with_how_many_stages_are_done_and_late():
    assert (
        sentences.stages_done(9, 10, 1) == "9 of 10 stages are done; 1 finished late or is overdue."
    )
    assert (
        sentences.stages_done(9, 10, 3)
        == "9 of 10 stages are done; 3 finished late or are overdue."
    )
    assert (
        sentences.stages_done(0, 10, 0)
        == "0 of 10 stages are done; 0 finished late or are overdue."
    )


def test_unpublished_pairs_are_said_not_to_count():
    assert sentences.proposed_not_counted(0) == ""
    assert sentences.proposed_not_counted(1) == (
        "A further 1 proposed pair had not been published and is not counted."
    )
    assert sentences.proposed_not_counted(4) == (
        "A further 4 proposed pairs had not been published and are not counted."
    )


def test_free_text_says_how_many_wrote_and_allowed_quoting():
    assert sentences.answers_written(0, 0) == ""
    assert sentences.answers_written(1, 0, themes=True) == (
        "1 person wrote a theme; 0 of them allowed quoting."
    )
    assert sentences.answers_written(6, 3) == "6 people wrote an answer; 3 of them allowed quoting."


def test_dates_use_djangos_formats():
    assert sentences.survey_dates(date(2025, 3, 3), date(2025, 4, 14)) == "3 Mar to 14 Apr 2025"
    assert sentences.survey_dates(date(2024, 12, 20), date(2025, 1, 10)) == (
        "20 Dec 2024 to 10 Jan 2025"
    )
    now = datetime(2026, 7, 1, 9, 5, tzinfo=ZoneInfo("Europe/London"))
    assert sentences.generated_on(now) == "1 July 2026"
    assert sentences.generated_at(now) == "1 July 2026, 09:05 BST"


def test_the_key_messages_for_one_pair_one_meeting_and_one_late_stage():
    messages = sentences.key_messages(
        participation(active=1, meetings=1),
        timeline(done=4, late=1),
        [headline("Learning", 0.5)],
        rate(1, 2),
    )
    assert messages == [
        "1 pair started: 1 still active, 0 completed and 0 ended early (0%).",
        "The pairs logged 1 meeting, a mean of 1.0 per pair.",
        "Since the baseline, the largest change is in learning (+0.5 on a 1-5 scale).",
        "50% of participants answered the evaluation survey (1 of 2).",
        "4 of 10 stages are done; 1 stage finished late or is overdue.",
    ]


def test_the_key_messages_for_many_pairs_and_stages():
    messages = sentences.key_messages(
        participation(active=3, completed=4, ended=1, meetings=40),
        timeline(done=9, late=2),
        [
            headline("Career", -0.2),
            headline("Learning", 0.8),
            headline("Organisational: after promotion panels", 3.0, scale="0-10"),
            headline("Emotional", None),
        ],
        rate(0, 16),
    )
    assert messages == [
        "8 pairs started: 3 still active, 4 completed and 1 ended early (12%).",
        "The pairs logged 40 meetings, a mean of 5.0 per pair.",
        "Since the baseline, the largest change is in learning (+0.8 on a 1-5 scale); "
        "the smallest in career (-0.2).",
        "Nobody has answered the evaluation survey yet (16 invited).",
        "9 of 10 stages are done; 2 stages finished late or are overdue.",
    ]


def test_the_key_messages_before_anything_has_happened():
    messages = sentences.key_messages(
        participation(active=0), timeline(done=0, late=0), [], rate(0, 0, present=False)
    )
    assert messages == [
        "No pairs have started yet.",
        "No change since the baseline can be shown yet: the baseline or the evaluation survey "
        "has too few responses.",
        "0 of 10 stages are done; 0 stages finished late or are overdue.",
    ]


@pytest.mark.parametrize(
    ("total", "later", "expected"),
    [
        (0, 0, "No hard measures have been recorded yet."),
        (1, 1, "1 hard measure is recorded, with its figure before the programme and a later one."),
        (3, 3, "3 hard measures are recorded, each with its figure before the programme and a"),
        (2, 0, "2 hard measures are recorded, with the figures before the programme; later ones"),
        (
            3,
            1,
            "3 hard measures are recorded, with the figures before the programme; 1 has a later",
        ),
        (3, 2, "; 2 have a later one so far."),
    ],
)
def test_the_hard_measures_say_how_many_have_a_later_figure(total, later, expected):
    assert expected in sentences.hard_measures_recorded(total, later)
