"""`{% plain_fields form %}` and `{% plain_field form.field %}`: fields in Bootstrap's markup,
written in Python.

crispy-forms renders each field through several templates; on a page of forms that is most of
the time it takes (a partner's page spent more than half its time there). The markup is crispy's
own bootstrap5 markup (the label or, for a group of radios or checkboxes, a fieldset and legend;
the error tied to the field by aria-describedby; help text), so pages, their error summary and
their tests read the same."""

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGET_CLASSES = {
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
    forms.CheckboxInput: "form-check-input",
}


def _widget_class(widget: forms.Widget) -> str:
    return next(
        (css for kind, css in WIDGET_CLASSES.items() if isinstance(widget, kind)), "form-control"
    )


def _described_by(field: BoundField) -> list[str]:
    """Help first, then the error, as crispy has it."""
    return [f"{field.auto_id}_helptext"] * bool(field.help_text) + [
        f"{field.auto_id}_error"
    ] * bool(field.errors)


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return SafeString("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, e) for n, e in enumerate(field.errors, start=1)),
        ),
    )


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return SafeString("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


REQUIRED_MARK = mark_safe('<span class="asteriskField">*</span>')


def _label_text(field: BoundField) -> SafeString:
    required = field.field.required
    return format_html("{}{}", field.label, REQUIRED_MARK if required else "")


def _widget_attrs(field: BoundField, css: str) -> dict[str, str]:
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described_by := _described_by(field):
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs


def _checkbox(field: BoundField) -> SafeString:
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check">{}'
        '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
        field.auto_id,
        field.as_widget(attrs=_widget_attrs(field, "form-check-input")),
        field.auto_id,
        _label_text(field),
        _errors(field),
        _help(field),
    )


def _options(field: BoundField) -> list[BoundWidget]:
    """BoundField.subwidgets, with Bootstrap's class on each input."""
    css = "form-check-input" + (" is-invalid" if field.errors else "")
    attrs = field.build_widget_attrs({"id": field.auto_id, "class": css})
    if field.errors:
        attrs["aria-invalid"] = "true"
    attrs.pop("aria-describedby", None)  # the fieldset carries it
    widget = field.field.widget
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]


def _choices(field: BoundField) -> SafeString:
    """Radios or checkboxes, one per choice, in a fieldset whose legend is the label."""
    options = format_html_join(
        "",
        '<div class="form-check">{}<label for="{}" class="form-check-label">{}</label></div>',
        (
            (option.tag(wrap_label=False), option.id_for_label, option.choice_label)
            for option in _options(field)
        ),
    )
    described_by = _described_by(field)
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label{} fs-6">{}</legend>'
        "<div>{}{}</div>{}</fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}"', " ".join(described_by)) if described_by else "",
        " requiredField" if field.field.required else "",
        _label_text(field),
        options,
        _errors(field),
        _help(field),
    )


def plain_field(field: BoundField) -> SafeString:
    widget = field.field.widget
    if field.is_hidden:
        # Nobody can correct a hidden field, but they must learn why the form was refused
        # (a pair that ended while they wrote, say) instead of meeting a page that says nothing.
        alert = '<div class="alert alert-danger" role="alert">{}</div>'
        refused = format_html_join("", alert, ((error,) for error in field.errors))
        return SafeString(str(field) + refused)
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field)
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return _choices(field)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}</label>{}{}{}</div>',
        field.auto_id,
        field.auto_id,
        " requiredField" if field.field.required else "",
        _label_text(field),
        field.as_widget(attrs=_widget_attrs(field, _widget_class(widget))),
        _errors(field),
        _help(field),
    )


@register.simple_tag(name="plain_field")
def plain_field_tag(field: BoundField) -> SafeString:
    """One field, where a template lays a form out itself."""
    return plain_field(field)


@register.simple_tag
def plain_fields(form: forms.BaseForm) -> SafeString:
    """Every field of `form`, and its errors that belong to no field, in Bootstrap's markup."""
    general = format_html_join(
        "", '<div class="alert alert-danger">{}</div>', ((e,) for e in form.non_field_errors())
    )
    return SafeString(general + "".join(plain_field(field) for field in form))
