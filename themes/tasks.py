from organisations.tasks import tenant_task

from .models import GroupingRun
from .services import groupings_propose
from .services.recurring import PROPOSE_TASK


@tenant_task(
    name=PROPOSE_TASK, model=GroupingRun, organisation="programme__organisation", time_limit=120
)
def propose_groupings(run: GroupingRun) -> int:
    """Propose recurring themes by similarity (scikit-learn runs here, in the worker)."""
    return groupings_propose(run=run)
