"""The form renderer (settings.FORM_RENDERER): Django's own, with the plain widgets written in
Python rather than through their templates.

A select of 300 people through Django's templates is 300 template includes, about 5 ms; the
matching page has two of them, a steering member's page a form for each pair. The output is
Django's, byte for byte (tests/organisations/test_widget_renderer.py compares the two); any
other widget, or one whose options use other templates, goes through the templates as before."""

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context

WIDGETS = "django/forms/widgets/"
INPUTS = ("text", "date", "datetime", "time", "email", "number", "password", "url", "tel")
INPUTS += ("search", "color", "hidden", "checkbox", "file", "input")
OPTION = WIDGETS + "select_option.html"
_PLAIN_CONTEXT = Context()  # only read: autoescape on, localisation as the settings say


def _shown(value: object) -> str:
    """`{{ value }}` in a template: localised, then escaped unless already safe. (The escaping
    of django.utils.html, without its check of every argument for a lazy string.)"""
    if isinstance(value, str):
        return value.__html__() if hasattr(value, "__html__") else html.escape(value)
    return render_value_in_context(value, _PLAIN_CONTEXT)


def _formatted(value: object) -> str:
    """`{{ value|stringformat:'s' }}`: the filter's plain string is always escaped."""
    return html.escape(str(value))


def _attrs(attrs: Mapping[str, object]) -> str:
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _input_option(option: Mapping[str, Any]) -> str:
    """A radio or checkbox of a group, as a field's options give it (`option.tag()`)."""
    html = _input(option)
    if not option["wrap_label"]:
        return html
    label_for = f' for="{_shown(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    # The included input template's own line end stays inside the label.
    return f"<label{label_for}>{html}\n {_shown(option['label'])}</label>"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


PLAIN: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in INPUTS},
    **{f"{WIDGETS}{name}_option.html": _input_option for name in ("input", "radio", "checkbox")},
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class PlainWidgetRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = PLAIN.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html
