"""What the pairs views share: the organisation's `acted` and `attempt`, refused with PairsError."""

from functools import partial

from organisations import actions

from ..services import PairsError

acted = partial(actions.acted, refused=PairsError)
attempt = partial(actions.attempt, refused=PairsError)
