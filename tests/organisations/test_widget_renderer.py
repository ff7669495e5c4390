"""The form renderer writes the plain widgets in Python; what it writes is Django's own output."""

from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from organisations.forms import CanonicalChoices
from organisations.widget_renderer import PlainWidgetRenderer
from pairs.forms import CheckInForm, MeetingForm

PEOPLE = [(n, f"Person {n} <&> “quoted”") for n in range(5)]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help", widget=forms.TextInput({"x": True}))
    optional = forms.CharField(required=False, widget=forms.TextInput({"hidden": False}))
    email = forms.EmailField()
    number = forms.IntegerField(min_value=1)
    decimal = forms.DecimalField(max_digits=4, decimal_places=2, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    url = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    tick = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    notes = forms.CharField(widget=forms.Textarea({"rows": 2}), required=False)
    person = forms.TypedChoiceField(choices=PEOPLE, coerce=int)
    grouped = forms.ChoiceField(
        choices=[("", "---"), ("Seniors", [("s1", "Ann"), ("s2", "Bo")]), ("j1", "Cy")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", mark_safe("<b>B</b>"))])
    numbered = forms.ChoiceField(choices=[(1, 1200), (2, 2.5)], required=False)
    disabled = forms.CharField(disabled=True, initial="Kept", required=False)
    radio = forms.ChoiceField(choices=PEOPLE, widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A & a"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


DATA = {
    "text": 'Say "hi" <b>&',
    "email": "not an address",
    "number": "0",
    "day": "2026-12-01",
    "secret": "s3cret",
    "hidden": "h&",
    "tick": "on",
    "notes": "Line one\n<script>two</script>",
    "person": "3",
    "grouped": "s2",
    "many": ["a", "b"],
    "numbered": "1",
    "radio": "2",
    "boxes": ["b"],
}


def rendered(form_class, renderer, **kwargs) -> list[str]:
    """Each field's widget, and each radio or checkbox of a group alone, as plain_fields lays
    them out (with the label apart, and wrapped in it)."""
    form = form_class(renderer=renderer, **kwargs)
    widgets = [form[name].as_widget() for name in form.fields]
    options = [
        option.tag(wrap_label=wrap)
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        for option in form[name]
        for wrap in (False, True)
    ]
    return widgets + options


@pytest.mark.parametrize("bound", [{}, {"data": DATA}, {"initial": {**DATA, "day": date.today()}}])
def test_every_plain_widget_is_written_as_django_writes_it(bound):
    assert rendered(EveryWidget, PlainWidgetRenderer(), **bound) == rendered(
        EveryWidget, DjangoTemplates(), **bound
    )


@pytest.mark.parametrize("form_class", [CheckInForm, MeetingForm])
def test_the_apps_forms_are_written_as_django_writes_them(form_class):
    for bound in ({}, {"data": {"day": "tomorrow", "note": "<i>x</i>"}}):
        assert rendered(form_class, PlainWidgetRenderer(), **bound) == rendered(
            form_class, DjangoTemplates(), **bound
        )


def test_choices_given_as_they_are_draw_and_validate_as_a_list_would():
    def form(choices, data=None):
        made = forms.Form(data)
        made.fields["person"] = forms.TypedChoiceField(coerce=int)
        made.fields["person"].choices = choices
        return made

    listed, given = form(PEOPLE), form(CanonicalChoices(PEOPLE))
    assert given["person"].as_widget() == listed["person"].as_widget()
    assert form(CanonicalChoices(PEOPLE), {"person": "4"}).is_valid()
    refused = form(CanonicalChoices(PEOPLE), {"person": "9"})
    assert not refused.is_valid() and "Select a valid choice" in refused.errors["person"][0]


def test_the_app_renders_its_forms_with_it():
    assert settings.FORM_RENDERER == "organisations.widget_renderer.PlainWidgetRenderer"
