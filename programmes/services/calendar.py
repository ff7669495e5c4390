"""Each person's secret calendar address for a programme."""

from organisations.models import User

from ..models import CalendarFeed, Programme
from ..models.calendar import new_feed_token


def calendar_feed_get(*, programme: Programme, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(programme=programme, user=user)
    return feed


def calendar_feed_reset(*, programme: Programme, user: User) -> CalendarFeed:
    """A new secret address (the first, if they had none); the old one stops working at once."""
    feed = calendar_feed_get(programme=programme, user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed
