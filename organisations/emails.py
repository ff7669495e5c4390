from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_email(
    *, to: Sequence[str], subject: str, template: str, context: Mapping[str, object]
) -> None:
    """Send one e-mail with a plain-text part and an HTML part.

    `template` names a pair: `emails/<template>.txt` and `emails/<template>.html`.
    """
    text = render_to_string(f"emails/{template}.txt", dict(context))
    html = render_to_string(f"emails/{template}.html", dict(context))
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    message.send()


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
