"""What the pairs views share."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from ..services import PairsError


def acted(form: forms.BaseForm, act: Callable[[dict[str, Any]], object]) -> bool:
    """Act on a valid form's data; False when it has errors to show again, the service's
    refusal among them."""
    if not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except PairsError as error:
        form.add_error(None, str(error))
        return False
    return True


def attempt(request: HttpRequest, change: Callable[[], object], done: str) -> None:
    """Carry out a change that takes no form, and say what became of it."""
    try:
        change()
    except PairsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
