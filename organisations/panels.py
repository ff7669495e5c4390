"""Panels: the parts of a page that an app above adds to a page of an app below (supervision's
"ask for supervision" on the partnership page, say). The lower app's view asks for its page's
panels and its template places them; it knows nothing of who adds them. An app registers a panel
in its AppConfig.ready with the template to render and a function that gives its context (or
None, when the panel has nothing to show to this person)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext
    order: int


_panels: dict[str, list[Panel]] = defaultdict(list)


def register_panel(page: str, *, template: str, context: PanelContext, order: int = 100) -> None:
    if not any(panel.template == template for panel in _panels[page]):
        _panels[page].append(Panel(template, context, order))
        _panels[page].sort(key=lambda panel: panel.order)


def panels_for(page: str, request: HttpRequest, **objects: Any) -> list[SafeString]:
    """The page's panels for this request, rendered; `objects` are what the page is about."""
    rendered = []
    for panel in _panels[page]:
        context = panel.context(request, **objects)
        if context is not None:
            rendered.append(SafeString(render_to_string(panel.template, context, request)))
    return rendered
