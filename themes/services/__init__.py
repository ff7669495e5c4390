"""Writes for themes: capture and sharing by the pairs, recurring themes, the combined sessions'
agenda and analysis, and the register of systemic issues."""

from .agenda import (
    agenda_item_add,
    agenda_item_remove,
    lead_confirm,
    lead_offer,
    lead_offer_withdraw,
)
from .analysis import analyses_due_send, analysis_content, analysis_send, sessions_due
from .capture import (
    ThemesError,
    theme_add,
    theme_agree,
    theme_delete,
    theme_update,
    theme_withdraw,
)
from .recurring import (
    grouping_request,
    groupings_propose,
    recurring_accept,
    recurring_create,
    recurring_dismiss,
    recurring_merge,
    recurring_split,
    recurring_update,
    theme_regroup,
)
from .register import (
    action_add,
    action_update,
    issue_close,
    issue_open,
    issue_reopen,
    issue_update,
    progress_record,
)

__all__ = [
    "ThemesError",
    "action_add",
    "action_update",
    "agenda_item_add",
    "agenda_item_remove",
    "analyses_due_send",
    "analysis_content",
    "analysis_send",
    "grouping_request",
    "groupings_propose",
    "issue_close",
    "issue_open",
    "issue_reopen",
    "issue_update",
    "lead_confirm",
    "lead_offer",
    "lead_offer_withdraw",
    "progress_record",
    "recurring_accept",
    "recurring_create",
    "recurring_dismiss",
    "recurring_merge",
    "recurring_split",
    "recurring_update",
    "sessions_due",
    "theme_add",
    "theme_agree",
    "theme_delete",
    "theme_regroup",
    "theme_update",
    "theme_withdraw",
]
