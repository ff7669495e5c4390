from .relationships import dashboard, export, my_pairs, pair_detail, partnership
from .selection import (
    applications,
    apply,
    candidate,
    candidates,
    matching,
    my_profile,
    proposal,
    publish,
    review,
)

__all__ = [
    "applications",
    "apply",
    "candidate",
    "candidates",
    "dashboard",
    "export",
    "matching",
    "my_pairs",
    "my_profile",
    "pair_detail",
    "partnership",
    "proposal",
    "publish",
    "review",
]
