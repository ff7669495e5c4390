from celery import shared_task
from django.urls import reverse
from django_scopes import scope

from organisations.emails import absolute_url, send_email

from .models import Pair
from .services.selection import PAIR_INTRODUCTIONS_TASK


@shared_task(name=PAIR_INTRODUCTIONS_TASK, time_limit=1800, soft_time_limit=1700)
def send_pair_introductions(pair_ids: list[int]) -> None:
    """Introduce the partners of newly published pairs to each other, with each other's
    one-pager; in the worker, so publishing 300 pairs does not wait for 600 e-mails."""
    pairs = (
        Pair.objects.with_scopes_disabled()
        .select_related("programme__organisation", "senior", "junior")
        .filter(pk__in=pair_ids)
        .order_by("pk")
    )
    for pair in pairs:
        organisation = pair.programme.organisation
        page = absolute_url(reverse("pairs:my_pair", args=[organisation.slug, pair.programme_id]))
        with scope(organisation=organisation):
            for me, partner in ((pair.senior, pair.junior), (pair.junior, pair.senior)):
                send_email(
                    to=[me.email],
                    subject=f"{pair.programme.name}: meet your partner, {partner.full_name}",
                    template="pair_introduction",
                    context={
                        "me": me,
                        "partner": partner,
                        "pair": pair,
                        "programme": pair.programme,
                        "partnership_url": page,
                    },
                )
