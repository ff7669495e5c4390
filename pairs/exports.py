"""The pairs as a spreadsheet: status, dates and counts; nothing confidential."""

from collections.abc import Iterator
from datetime import date

from organisations.spreadsheets import spreadsheet_cell
from programmes.models import Programme

from .selectors import PairRow, pairs_with_figures

PAIRS_HEADER = (
    "senior partner",
    "junior partner",
    "status",
    "published",
    "meetings",
    "last meeting",
    "agreement",
    "steering member",
    "check-ins",
    "last check-in",
)


def pairs_csv_rows(programme: Programme, today: date) -> Iterator[tuple[object, ...]]:
    """The header, then one row per published pair, by senior partner's name."""
    yield PAIRS_HEADER
    pairs = pairs_with_figures(programme, today).order_by("senior__full_name", "pk")
    for pair in pairs:
        yield (
            spreadsheet_cell(pair.senior.full_name),
            spreadsheet_cell(pair.junior.full_name),
            pair.get_status_display(),
            pair.published_at.date().isoformat() if pair.published_at else "",
            pair.meetings_count,
            pair.last_meeting.isoformat() if pair.last_meeting else "",
            PairRow(pair).agreement_status,
            spreadsheet_cell(str(pair.steering_member or "")),
            pair.checkins_count,
            pair.last_checkin.isoformat() if pair.last_checkin else "",
        )
