"""The e-mails the pairs app sends; each is recorded in the outbox with the change causing it."""

from django.urls import reverse

from organisations.emails import absolute_url, email_message, send_emails

from .models import Pair


def pair_introductions_send(*, pairs: list[Pair]) -> int:
    """Introduce the partners of newly published pairs to each other, with each other's
    one-pager and a link to their partnership page; once per partner and pair."""
    messages = []
    for pair in pairs:
        programme = pair.programme
        organisation = programme.organisation
        page = absolute_url(reverse("pairs:my_pair", args=[organisation.slug, programme.pk]))
        for me, partner in ((pair.senior, pair.junior), (pair.junior, pair.senior)):
            messages.append(
                email_message(
                    key=f"introduction:{pair.pk}:{me.pk}",
                    to=me.email,
                    organisation=organisation,
                    subject=f"{programme.name}: meet your partner, {partner.full_name}",
                    template="pair_introduction",
                    context={
                        "me": me,
                        "partner": partner,
                        "pair": pair,
                        "programme": programme,
                        "partnership_url": page,
                    },
                )
            )
    return send_emails(messages)
