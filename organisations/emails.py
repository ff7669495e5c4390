from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from .models import Organisation

# Read by the outbox (EMAIL_BACKEND): what makes this e-mail unique, and whose it is.
KEY_HEADER = "X-Outbox-Key"
ORGANISATION_HEADER = "X-Outbox-Organisation"


def email_message(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, object],
    organisation: Organisation | None = None,
) -> EmailMultiAlternatives:
    """One e-mail, with a plain-text part and an HTML part, to one address.

    `key` names what, whom and when (e.g. "digest:41"), so the outbox records the same e-mail
    once however often it is sent. `template` names a pair: `emails/<template>.txt` and
    `emails/<template>.html`.
    """
    text = render_to_string(f"emails/{template}.txt", dict(context))
    html = render_to_string(f"emails/{template}.html", dict(context))
    headers = {KEY_HEADER: key}
    if organisation is not None:
        headers[ORGANISATION_HEADER] = str(organisation.pk)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(**kwargs: object) -> None:
    """Send one e-mail (see `email_message`). The configured backend is the outbox: the e-mail
    is recorded in the current transaction and sent by a worker after it commits."""
    email_message(**kwargs).send()  # type: ignore[arg-type]


def send_emails(messages: Sequence[EmailMultiAlternatives]) -> int:
    """Send many at once: the outbox records them all in one write."""
    return get_connection().send_messages(list(messages)) if messages else 0


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
