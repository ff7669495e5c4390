"""The programme app's models, one module per part of a programme."""

from .calendar import CalendarFeed
from .invitations import ProgrammeInvitation
from .programme import (
    DEFAULT_SUCCESS_MEASURES,
    CommissioningSignOff,
    EthicsAcknowledgement,
    Programme,
    ProgrammeMember,
    SuccessMeasure,
)
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
    "EthicsAcknowledgement",
    "GroupSession",
    "Programme",
    "ProgrammeInvitation",
    "ProgrammeMember",
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
]
