"""What happens to a pair that apps above act on (see organisations.hooks)."""

from organisations.hooks import Hook

# A confidential concern goes to supervision: receivers(concern, by, urgent) raise a referral
# from it. `by` is its author, who asked for a supervisor's help with it, or the coordinator, who
# referred it. A receiver refuses with PairsError, which the sender's caller shows.
concern_referred = Hook("concern referred")
