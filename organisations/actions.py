"""What views share when they carry out a change: a service refuses with its app's error, whose
message is for the user, and the view shows it beside the form or as a message."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

Refusal = type[Exception] | tuple[type[Exception], ...]


def acted(
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], object],
    refused: Refusal,
    field: str | None = None,
) -> bool:
    """Act on a valid form's data; False when it has errors to show again, the service's
    refusal among them (beside `field` when given, else at the top of the form)."""
    if not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except refused as error:
        form.add_error(field, str(error))
        return False
    return True


def attempt(
    request: HttpRequest, change: Callable[[], object], done: str, refused: Refusal
) -> bool:
    """Carry out a change that takes no form, and say what became of it."""
    try:
        change()
    except refused as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True
