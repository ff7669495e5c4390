"""What happens to a programme that apps above act on (see organisations.hooks)."""

from organisations.hooks import Hook

# A programme was created: receivers(programme) add what every programme starts with.
programme_created = Hook("programme created")
# Someone became a participant: receivers(programme, user, side) give them what a participant has.
participant_added = Hook("participant added")
# Someone not yet in the organisation was invited as a participant:
# receivers(programme, email, side, full_name) prepare for them.
participant_invited = Hook("participant invited")
# The programme's anonymity threshold is about to change: receivers(programme, old_threshold)
# keep what was published under the old one from revealing more (closed surveys keep theirs).
anonymity_threshold_changing = Hook("anonymity threshold changing")
