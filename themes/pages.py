"""The themes pages other apps may add panels to (see organisations.panels)."""

ANALYSIS_PAGE = "themes:analysis"  # the analysis of themes for a combined session
