"""Panels: the parts of a page that an app above adds to a page of an app below (supervision's
"ask for supervision" on the partnership page, say). The lower app's view asks for its page's
panels and its template places them; it knows nothing of who adds them. An app registers a panel
in its AppConfig.ready with the template to render and a function that gives its context (or
None, when the panel has nothing to show to this person).

A row panel stands under each row of a list (each pair on a steering member's page): its
function is given every row at once and returns each row's context by the row's key, so that a
page of rows costs the panel one query, not one a row."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template import RequestContext
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString

PanelContext = Callable[..., dict[str, Any] | None]
# (request, rows) -> {row key: context}; a row missing from the answer shows nothing.
RowPanelContext = Callable[[HttpRequest, Sequence[Any]], Mapping[Hashable, dict[str, Any]]]


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


@dataclass(frozen=True)
class RowPanel:
    template: str
    context: RowPanelContext
    order: int


_row_panels: dict[str, list[RowPanel]] = defaultdict(list)


def register_row_panel(
    page: str, *, template: str, context: RowPanelContext, order: int = 100
) -> None:
    if not any(panel.template == template for panel in _row_panels[page]):
        _row_panels[page].append(RowPanel(template, context, order))
        _row_panels[page].sort(key=lambda panel: panel.order)


def row_panels_for(
    page: str, request: HttpRequest, rows: Sequence[Any], *, key: Callable[[Any], Hashable]
) -> dict[Hashable, list[SafeString]]:
    """Each row's panels, rendered, by the row's `key`."""
    rendered: dict[Hashable, list[SafeString]] = {key(row): [] for row in rows}
    for panel in _row_panels[page]:
        contexts = panel.context(request, rows)
        shown = {key(row): contexts.get(key(row)) for row in rows}
        shown = {row_key: context for row_key, context in shown.items() if context is not None}
        htmls = _rendered_each(panel.template, request, shown.values())
        for row_key, html in zip(shown, htmls, strict=True):
            rendered[row_key].append(html)
    return rendered


def _rendered_each(
    template_name: str, request: HttpRequest, contexts: Iterable[dict[str, Any]]
) -> list[SafeString]:
    """The template rendered with each context in turn, as render_to_string would, but with the
    context processors run once for all of them rather than once a row."""
    template = get_template(template_name).template
    shared = RequestContext(request)
    with shared.bind_template(template):
        rendered = []
        for context in contexts:
            with shared.push(context):
                rendered.append(SafeString(template.render(shared)))
    return rendered
