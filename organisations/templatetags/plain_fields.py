"""`{% plain_fields form %}`: a small form's fields in Bootstrap's markup, written in Python.

For the forms a page repeats once a row (a private reflection under each meeting, a check-in
beside each pair): crispy-forms renders each field through several templates, which at fifty
rows is most of the page's time. The markup is crispy's own (label, widget, the error tied to
the field by aria-describedby, help text), so the page and its error summary read the same."""

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {forms.Select: "form-select", forms.CheckboxInput: "form-check-input"}


def _widget_class(widget: forms.Widget) -> str:
    return next(
        (css for kind, css in WIDGET_CLASSES.items() if isinstance(widget, kind)), "form-control"
    )


def plain_field(field: BoundField) -> SafeString:
    error_id, help_id = f"{field.auto_id}_error", f"{field.auto_id}_helptext"
    described_by = [error_id] if field.errors else []
    described_by += [help_id] if field.help_text else []
    attrs = {"class": _widget_class(field.field.widget) + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}{}'
        "</div>",
        field.auto_id,
        field.auto_id,
        " requiredField" if required else "",
        field.label,
        format_html('<span class="asteriskField">*</span>') if required else "",
        field.as_widget(attrs=attrs),
        format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in field.errors)),
        )
        if field.errors
        else "",
        format_html('<div id="{}" class="form-text">{}</div>', help_id, field.help_text)
        if field.help_text
        else "",
    )


@register.simple_tag
def plain_fields(form: forms.BaseForm) -> SafeString:
    """Every field of `form`, and its errors that belong to no field, in Bootstrap's markup."""
    general = format_html_join(
        "", '<div class="alert alert-danger">{}</div>', ((e,) for e in form.non_field_errors())
    )
    return SafeString(general + "".join(plain_field(field) for field in form))
