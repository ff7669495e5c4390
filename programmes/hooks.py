"""What happens to a programme that apps above act on (see organisations.hooks)."""

from organisations.hooks import Hook

# A programme was created: receivers(programme) add what every programme starts with.
programme_created = Hook("programme created")
# Someone became a participant: receivers(programme, user, side) give them what a participant has.
participant_added = Hook("participant added")
# Someone not yet in the organisation was invited as a participant:
# receivers(programme, email, side, full_name) prepare for them.
participant_invited = Hook("participant invited")
# That invitation was cancelled before it was used, and no other waits for the same address:
# receivers(programme, email) take back what they prepared. A receiver may refuse by raising
# organisations.services.InvitationError with the reason in words.
participant_invitation_cancelled = Hook("participant invitation cancelled")
# The programme's anonymity threshold is about to change: receivers(programme, old_threshold)
# keep what was published under the old one from revealing more (closed surveys keep theirs).
anonymity_threshold_changing = Hook("anonymity threshold changing")
# Someone was given a role in a programme: receivers(programme, user, role) set up what the role
# needs in their app (a supervisor's place in the pool, say).
member_added = Hook("member added")
# A person's calendar feed of a programme: receivers(programme, user) return the CalendarEvents of
# their app that this person should see (their supervision sessions, say).
calendar_events = Hook("calendar events")
# The readiness scorecard: receivers(programme, today) return {standard number: [Check, ...]},
# what their app knows of the standards (a supervisor pool in place, say).
readiness_checks = Hook("readiness checks")
