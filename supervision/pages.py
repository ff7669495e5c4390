"""The supervision pages other apps may add panels to (see organisations.panels)."""

GROUP_SESSION_PAGE = "supervision:group_session"  # a combined session's page
