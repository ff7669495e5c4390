"""Writes for programmes, one module per part; import them from here."""

from .calendar import calendar_feed_get, calendar_feed_reset
from .invitations import (
    Invitee,
    invitation_purposes_describe,
    invitation_roles_give,
    participant_invitations_create,
    programme_invitation_create,
)
from .programme import (
    SETUP_FIELDS,
    ProgrammeError,
    ethics_acknowledge,
    ethics_statement_set,
    group_session_dates,
    programme_create,
    programme_member_add,
    programme_role_audit,
    programme_setup_update,
    steering_member_remove,
    steering_member_update,
    success_measures_set,
)
from .reminders import reminders_forget_unsent
from .resources import resource_add, resource_delete
from .timeline import (
    SIGN_OFF_REQUIRED,
    group_session_update,
    programme_anchors_set,
    sign_off_record,
    stage_dates_reset,
    stage_dates_set,
    stage_status_refresh,
    stage_status_set,
    task_delete,
    task_save,
    task_status_set,
)
from .training import attendance_set, training_session_save

__all__ = [
    "SETUP_FIELDS",
    "SIGN_OFF_REQUIRED",
    "Invitee",
    "ProgrammeError",
    "attendance_set",
    "calendar_feed_get",
    "calendar_feed_reset",
    "ethics_acknowledge",
    "ethics_statement_set",
    "group_session_dates",
    "group_session_update",
    "invitation_purposes_describe",
    "invitation_roles_give",
    "participant_invitations_create",
    "programme_anchors_set",
    "programme_create",
    "programme_invitation_create",
    "programme_member_add",
    "programme_role_audit",
    "programme_setup_update",
    "reminders_forget_unsent",
    "resource_add",
    "resource_delete",
    "sign_off_record",
    "stage_dates_reset",
    "stage_dates_set",
    "stage_status_refresh",
    "stage_status_set",
    "steering_member_remove",
    "steering_member_update",
    "success_measures_set",
    "task_delete",
    "task_save",
    "task_status_set",
    "training_session_save",
]
