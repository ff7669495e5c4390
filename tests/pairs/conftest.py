import pytest

from pairs.services import pair_steward_set

from ..factories import publish_pair


@pytest.fixture
def pair(programme, people):
    """The senior and junior of `people`, published as a pair the steering member looks after."""
    pair = publish_pair(programme, people["senior"], people["junior"], people["coordinator"])
    pair_steward_set(pair=pair, steering_member=people["steering"])
    return pair
