"""What the app has e-mailed. E-mails are recorded in the outbox and sent by a worker; a test
asks the outbox to deliver what is due (as the worker would) and reads Django's test mailbox."""

import re

from django.core import mail

from notifications.outbox import outbox_deliver


def delivered() -> list[mail.EmailMessage]:
    outbox_deliver()
    return mail.outbox


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)
