from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .selectors import unread_notification_count_kept


def unread(request: HttpRequest) -> dict[str, object]:
    """The navbar's count of unread notifications in the current organisation, counted only
    where a template shows it, and once a request however many templates it renders (each
    panel of a page is rendered with the request, so with the context processors)."""
    if getattr(request, "organisation", None) is None:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: _counted_once(request))}


def _counted_once(request: HttpRequest) -> int:
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_notification_count_kept(
            request.organisation, request.user, timezone.now()
        )
    return request._unread_notifications
