from programmes.navigation import register_page, with_perm, with_role
from programmes.permissions import Perm


def _reviews_only(held: frozenset[Perm], roles: frozenset[str]) -> bool:
    """A steering member asked to review; whoever selects has the candidates page itself."""
    return Perm.REVIEW_CANDIDATES in held and Perm.SELECT not in held


def register() -> None:
    for group, label, url_name, tabs, shows, order in (
        ("people", "Review candidates", "pairs:review", ("review",), _reviews_only, 110),
        # A coordinator reaches the side-by-side review from the candidates: it stands under them.
        (
            "people",
            "Candidates",
            "pairs:candidates",
            ("candidates", "review"),
            with_perm(Perm.SELECT),
            120,
        ),
        ("people", "Matching", "pairs:matching", ("matching",), with_perm(Perm.SELECT), 130),
        (
            "relationships",
            "My profile and partner",
            "pairs:my_profile",
            ("me",),
            with_perm(Perm.TAKE_PART),
            200,
        ),
        ("relationships", "My pairs", "pairs:my_pairs", ("my_pairs",), with_role("steering"), 210),
        (
            "relationships",
            "Pairs dashboard",
            "pairs:pairs",
            ("dashboard",),
            with_perm(Perm.SELECT),
            220,
        ),
    ):
        register_page(
            group=group, label=label, url_name=url_name, tabs=tabs, shows=shows, order=order
        )
