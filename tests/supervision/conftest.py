import pytest

from organisations.roles import Role, Side
from pairs.models import Pair
from pairs.services import (
    decision_record,
    matching_publish,
    matching_run,
    pair_steward_set,
    participant_add,
)
from programmes.services import programme_member_add
from supervision.models import Supervisor

from .. import factories


@pytest.fixture
def pair(programme, people) -> Pair:
    """The people fixture's senior and junior, published as a pair the steering member looks
    after."""
    for who, side, grade in (("senior", Side.SENIOR, 9), ("junior", Side.JUNIOR, 3)):
        profile = participant_add(programme=programme, user=people[who], side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    matching_publish(programme=programme, by=people["coordinator"])
    pair = Pair.objects.select_related("senior__user", "junior__user").get(programme=programme)
    return pair_steward_set(pair=pair, steering_member=people["steering"])


@pytest.fixture
def supervisor(programme, people) -> Supervisor:
    """The people fixture's supervisor, in the pool with room for two cases."""
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    supervisor.capacity = 2
    supervisor.save()
    return supervisor


@pytest.fixture
def second_supervisor(programme):
    user = factories.member(programme.organisation)
    programme_member_add(programme=programme, user=user, role=Role.SUPERVISOR)
    return Supervisor.objects.get(programme=programme, user=user)
