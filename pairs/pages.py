"""The pairs pages other apps may add panels to (see organisations.panels)."""

PARTNERSHIP_PAGE = "pairs:partnership"  # a partner's own page
PAIR_PAGE = "pairs:pair"  # the coordinator's page of one pair
STEERING_PAGE = "pairs:my_pairs"  # each pair on a steering member's pairs page
