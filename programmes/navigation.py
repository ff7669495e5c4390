"""The programme's navigation, grouped by the programme's life rather than by the data model.

A handful of groups stand at the top (the programme, people and matching, the relationships,
change, evaluation); the current group's pages stand below them. Each app registers its own
pages in its `AppConfig.ready`, so this layer names no page of an app above it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .permissions import Perm

GROUPS: tuple[tuple[str, str], ...] = (
    ("programme", "The programme"),
    ("people", "People and matching"),
    ("relationships", "Relationships"),
    ("change", "Change"),
    ("evaluation", "Evaluation"),
)
GROUP_NAMES = dict(GROUPS)

Shows = Callable[[frozenset[Perm], frozenset[str]], bool]


@dataclass(frozen=True)
class Entry:
    group: str
    label: str
    url_name: str  # reversed with the organisation's slug and the programme's id
    tabs: frozenset[str]  # the `tab` of the pages it stands for
    shows: Shows
    order: int


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Nav:
    groups: tuple[Link, ...]
    pages: tuple[Link, ...]  # the current group's pages
    current_group: str


_ENTRIES: list[Entry] = []


def register_page(
    *,
    group: str,
    label: str,
    url_name: str,
    tabs: tuple[str, ...],
    shows: Shows,
    order: int,
) -> None:
    if group not in GROUP_NAMES:
        raise ValueError(f"No navigation group {group!r}.")
    _ENTRIES[:] = [e for e in _ENTRIES if (e.url_name, e.label) != (url_name, label)]
    _ENTRIES.append(Entry(group, label, url_name, frozenset(tabs), shows, order))


def with_perm(*perms: Perm) -> Shows:
    """Shown to whoever holds any of these permissions."""
    return lambda held, roles: any(perm in held for perm in perms)


def with_role(role: str) -> Shows:
    return lambda held, roles: role in roles


def everyone(held: frozenset[Perm], roles: frozenset[str]) -> bool:
    return True


def programme_nav(
    *,
    perms: frozenset[Perm],
    roles: frozenset[str],
    tab: str,
    org_slug: str,
    programme_id: int,
) -> Nav:
    """The groups this person has pages in, each linking to its first page, and the pages of
    the group that holds the current page."""
    visible = sorted(
        (entry for entry in _ENTRIES if entry.shows(perms, roles)), key=lambda e: e.order
    )
    by_group = {key: [e for e in visible if e.group == key] for key, _ in GROUPS}
    current_group = next((e.group for e in visible if tab in e.tabs), "programme")

    def link(entry: Entry, current: bool) -> Link:
        url = reverse(entry.url_name, args=[org_slug, programme_id])
        return Link(entry.label, url, current)

    groups = tuple(
        Link(name, link(by_group[key][0], False).url, key == current_group)
        for key, name in GROUPS
        if by_group[key]
    )
    pages = tuple(link(entry, tab in entry.tabs) for entry in by_group[current_group])
    return Nav(groups, pages, current_group)


def register() -> None:
    """The programme's own pages."""
    setup = with_perm(Perm.VIEW_SETUP)
    for order, (label, url_name, tab, shows) in enumerate(
        (
            ("Home", "programmes:home", "home", everyone),
            ("Timeline", "programmes:timeline", "timeline", everyone),
            ("Project plan", "programmes:plan", "plan", setup),
            ("Purpose", "programmes:setup", "setup", setup),
            ("Steering group", "programmes:steering", "steering", setup),
            ("Ethics", "programmes:ethics", "ethics", everyone),
            ("Training", "programmes:training", "training", everyone),
            ("Resources", "programmes:resources", "resources", everyone),
            ("Calendar", "programmes:calendar", "calendar", everyone),
            ("Readiness", "programmes:readiness", "readiness", setup),
        ),
        start=10,
    ):
        register_page(
            group="programme", label=label, url_name=url_name, tabs=(tab,), shows=shows, order=order
        )
    register_page(
        group="people",
        label="People",
        url_name="programmes:people",
        tabs=("people",),
        shows=with_perm(Perm.MANAGE_PEOPLE),
        order=100,
    )
