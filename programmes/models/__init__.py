"""The programme app's models, one module per part of a programme."""

from .programme import (
    DEFAULT_SUCCESS_MEASURES,
    CommissioningSignOff,
    EthicsAcknowledgement,
    Programme,
    ProgrammeMember,
    SuccessMeasure,
)
from .reminders import CalendarFeed, Digest, Reminder
from .reports import ProgrammeReport, ReportKind, ReportStatus, report_upload_to
from .resources import Resource, ResourceAudience
from .stages import GroupSession, Stage, StageStatus, StageTask, TaskStatus
from .training import (
    TrainingAttendance,
    TrainingAudience,
    TrainingFormat,
    TrainingKind,
    TrainingSession,
)

__all__ = [
    "DEFAULT_SUCCESS_MEASURES",
    "CalendarFeed",
    "CommissioningSignOff",
    "Digest",
    "EthicsAcknowledgement",
    "GroupSession",
    "Programme",
    "ProgrammeMember",
    "ProgrammeReport",
    "Reminder",
    "ReportKind",
    "ReportStatus",
    "Resource",
    "ResourceAudience",
    "Stage",
    "StageStatus",
    "StageTask",
    "SuccessMeasure",
    "TaskStatus",
    "TrainingAttendance",
    "TrainingAudience",
    "TrainingFormat",
    "TrainingKind",
    "TrainingSession",
    "report_upload_to",
]
