"""What the pairs views share: reading posted ids and refusing a post they cannot act on."""

from django.contrib import messages
from django.http import Http404, HttpRequest

NOT_UNDERSTOOD = (
    "Nothing was changed: what was sent did not say what to do. Use one of the buttons on this "
    "page."
)


def posted_id(request: HttpRequest, name: str) -> int:
    """An id from the form; anything else is a 404, never an error page."""
    value = request.POST.get(name, "")
    if not value.isdecimal() or not value.isascii():
        raise Http404
    return int(value)


def not_understood(request: HttpRequest) -> None:
    """A post with no action this page knows (a stale page, a scanner): said, not guessed."""
    messages.error(request, NOT_UNDERSTOOD)
