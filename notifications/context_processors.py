from django.http import HttpRequest
from django.utils import timezone

from .selectors import unread_notification_count


def unread(request: HttpRequest) -> dict[str, object]:
    """The navbar's count of unread notifications in the current organisation."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {}
    return {
        "unread_notifications": unread_notification_count(
            organisation, request.user, timezone.now()
        )
    }
