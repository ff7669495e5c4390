"""Pages of this app that apps above add panels to (see organisations.panels)."""

HOME_PAGE = "programmes:home"  # a person's first page of a programme: what needs them today
