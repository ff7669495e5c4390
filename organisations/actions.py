"""What views share when they carry out a change: a service refuses with its app's error, whose
message is for the user, and the view shows it beside the form or as a message."""

from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format

from .models import INVITATION_LIFETIME, Invitation, User
from .services import InvitationError, invitation_cancel, invitation_resend

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


def acted_saying(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], object],
    done: str,
    refused: Refusal,
) -> bool:
    """`acted`, for a one-choice form the page cannot show again beside its field (a select in
    another app's panel): say what became of it, its refusals in their own words."""
    if acted(form, act, refused):
        messages.success(request, done)
        return True
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return False


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


def back_to(request: HttpRequest, pages: Collection[str], default: str) -> HttpResponse:
    """To the page the button stood on (the `next` it posted, its query kept) when it is one of
    `pages` (paths on this site), else to `default`."""
    target = request.POST.get("next", "")
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc and parts.path in pages:
        return redirect(target)
    return redirect(default)


def _whom(invitation: Invitation) -> str:
    return invitation.full_name or invitation.email


def invitation_resend_attempt(request: HttpRequest, invitation: Invitation) -> bool:
    """Send a waiting invitation again, and say until when its link now works."""
    until = date_format(timezone.localdate() + INVITATION_LIFETIME, "j F Y")
    return attempt(
        request,
        lambda: invitation_resend(invitation=invitation, by=request.user),
        f"The invitation to {_whom(invitation)} is sent again; its link works until {until}.",
        InvitationError,
    )


def invitation_cancel_attempt(request: HttpRequest, invitation: Invitation, by: User) -> bool:
    return attempt(
        request,
        lambda: invitation_cancel(invitation=invitation, by=by),
        f"The invitation to {_whom(invitation)} is cancelled; its link no longer works.",
        InvitationError,
    )
