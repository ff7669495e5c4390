"""Reading a cohort from a CSV file: every row is checked before anything is imported (pure)."""

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

COLUMNS = ("name", "email", "side", "department", "grade", "line_manager_email")
REQUIRED = ("name", "email", "side")
SIDES = {"senior": "senior", "junior": "junior"}
MAX_ROWS = 5000
# How each column is named in a message.
LABELS = {
    "name": "name",
    "email": "e-mail address",
    "side": "side",
    "department": "department",
    "grade": "grade",
    "line_manager_email": "line manager's e-mail address",
}
NUL = "\x00"
CANNOT_STORE = "contains a character that cannot be stored (a NUL byte)"


@dataclass(frozen=True)
class CohortRow:
    line: int
    name: str
    email: str
    side: str
    department: str
    grade: int | None
    line_manager_email: str


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass(frozen=True)
class ParsedCohort:
    rows: tuple[CohortRow, ...]
    errors: tuple[RowError, ...]


def parse_cohort(
    data: bytes, already_in_programme: Collection[str] = (), *, max_lengths: Mapping[str, int]
) -> ParsedCohort:
    """Check every row; the caller imports nothing unless `errors` is empty.

    `max_lengths` gives, by column, the most characters the place it is stored in can hold.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedCohort((), (RowError(0, "The file is not UTF-8 text. Save it as CSV UTF-8."),))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        raw_header = reader.fieldnames or []
    except csv.Error as error:
        return ParsedCohort((), (RowError(1, _unreadable("The file", error)),))
    if any(NUL in name for name in raw_header):
        return ParsedCohort((), (RowError(1, f"The column names {CANNOT_STORE}."),))
    # Spreadsheets often save empty columns after the last one; those are not columns.
    header = [h.strip().lower() for h in raw_header]
    while header and not header[-1]:
        header.pop()
    if not header:
        return ParsedCohort((), (RowError(0, "The file is empty."),))
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h or "(a column without a name)" for h in header if h not in COLUMNS]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        return ParsedCohort(
            (), (RowError(1, f"These columns appear twice: {', '.join(repeated)}."),)
        )
    if missing or unknown:
        reason = "The first line must name the columns " + ", ".join(COLUMNS) + "."
        if missing:
            reason += f" Missing: {', '.join(missing)}."
        if unknown:
            reason += f" Not expected: {', '.join(unknown)}."
        return ParsedCohort((), (RowError(1, reason),))
    reader.fieldnames = header
    existing = {e.lower() for e in already_in_programme}
    rows: list[CohortRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(reader.line_num, _unreadable("This line", error)))
            break
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"A file may hold at most {MAX_ROWS} people."))
            break
        if any((value or "").strip() for value in record.pop(None, [])):
            errors.append(RowError(line, "This line has more values than there are columns."))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue  # a blank line
        row, reasons = _check_row(line, values, existing, first_seen, max_lengths)
        if reasons:
            errors.append(RowError(line, " ".join(reasons)))
        else:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "The file has no people in it."))
    return ParsedCohort(tuple(rows), tuple(errors))


def _unreadable(what: str, error: csv.Error) -> str:
    # Some Python versions' csv module refuses a NUL byte itself.
    if "NUL" in str(error):
        return f"{what} {CANNOT_STORE}."
    return f"{what} cannot be read as CSV: {error}."


def _unstorable(values: dict[str, str], max_lengths: Mapping[str, int]) -> dict[str, str]:
    """Why a value cannot be stored, by column: a NUL byte, or more characters than fit."""
    reasons = {}
    for column, value in values.items():
        limit = max_lengths.get(column)
        if NUL in value:
            reasons[column] = f"The {LABELS[column]} {CANNOT_STORE}."
        elif limit is not None and len(value) > limit:
            reasons[column] = (
                f"The {LABELS[column]} is {len(value):,} characters long; at most {limit} fit."
            )
    return reasons


def _shown(value: str, limit: int = 40) -> str:
    """A value quoted back in a message, cut short if it is long."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_row(
    line: int,
    values: dict[str, str],
    existing: set[str],
    first_seen: dict[str, int],
    max_lengths: Mapping[str, int],
) -> tuple[CohortRow | None, list[str]]:
    unstorable = _unstorable(values, max_lengths)
    reasons = [f"The {column} is missing." for column in REQUIRED if not values[column]]
    reasons += unstorable.values()
    values = {c: "" if c in unstorable else v for c, v in values.items()}  # checked no further
    email = values["email"].lower()
    if email and not _is_email(email):
        reasons.append(f"“{_shown(values['email'])}” is not an e-mail address.")
    manager = values["line_manager_email"].lower()
    if manager and not _is_email(manager):
        reasons.append(
            f"The line manager's “{_shown(values['line_manager_email'])}” is not an e-mail address."
        )
    if manager and manager == email:
        reasons.append("A person cannot be their own line manager.")
    side = SIDES.get(values["side"].lower())
    if values["side"] and side is None:
        reasons.append(f"The side is “{_shown(values['side'])}”; it must be senior or junior.")
    grade = None
    if values["grade"]:
        if (
            values["grade"].isdecimal()
            and values["grade"].isascii()
            and len(values["grade"]) <= 2  # int() refuses thousands of digits
            and (0 < int(values["grade"]) <= 50)
        ):
            grade = int(values["grade"])
        else:
            reasons.append(
                f"The grade is “{_shown(values['grade'])}”; it must be a whole number, 1-50."
            )
    if email in existing:
        reasons.append(f"{email} is already in the programme.")
    elif email in first_seen:
        reasons.append(f"{email} appears twice (first on line {first_seen[email]}).")
    elif email:
        first_seen[email] = line
    if reasons:
        return None, reasons
    return (
        CohortRow(line, values["name"], email, side, values["department"], grade, manager),
        [],
    )


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
