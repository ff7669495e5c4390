"""The e-mail outbox. Every e-mail the app sends goes through Django's mail API to
`OutboxBackend` (EMAIL_BACKEND), which only records it, in the caller's transaction. A worker
delivers it later with the real backend (OUTBOX_DELIVERY_BACKEND): it claims each message before
sending and marks it straight after, so a task delivered twice sends nothing twice, and a worker
killed between the server's acceptance and the mark sends that one message again, with the same
Message-ID, once its claim lapses.

Our own e-mails carry two headers that the backend reads and drops: `X-Outbox-Key` (unique per
what, whom and when) and `X-Outbox-Organisation`. Others (allauth's) get a key of their own.
"""

import logging
import secrets
import smtplib
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.emails import KEY_HEADER, ORGANISATION_HEADER
from organisations.tasks import enqueue_on_commit

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver_outbox"
# A temporary failure (the server is down, busy, or says "try later") is tried again, waiting
# longer each time, up to this many attempts; an address refused outright, this many times.
MAX_ATTEMPTS = 12
MAX_REFUSALS = 3
LONGEST_WAIT_SECONDS = 3600


class OutboxBackend(BaseEmailBackend):
    """Records messages instead of sending them; see the module's docstring."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows = [row for message in email_messages for row in _rows_of(message)]
        if not rows:
            return 0
        created = OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        enqueue_on_commit(DELIVER_TASK)
        return len(created)


def _rows_of(message: EmailMessage) -> list[OutboxMessage]:
    headers = dict(message.extra_headers)
    key = headers.pop(KEY_HEADER, "") or f"mail:{uuid.uuid4().hex}"
    organisation_id = headers.pop(ORGANISATION_HEADER, None)
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    now = timezone.now()
    recipients = message.recipients()
    return [
        OutboxMessage(
            # One row per address: one refused address never holds up the others.
            key=key if len(recipients) == 1 else f"{key}:{address.lower()}",
            organisation_id=int(organisation_id) if organisation_id else None,
            to=address,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            subject=str(message.subject)[:300],
            text=message.body,
            html=html,
            message_id=make_msgid(domain=_domain()),
            next_attempt_at=now,
        )
        for address in recipients
    ]


def _domain() -> str:
    return settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def outbox_deliver(*, now: datetime | None = None, batch_size: int = 50) -> Delivery:
    """Send everything due, one claimed batch at a time, until nothing is left."""
    sent = retrying = failed = 0
    while batch := _claim(now or timezone.now(), batch_size):
        token, messages = batch
        connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
        try:
            for message in messages:
                outcome = _send_one(connection, message, token)
                sent += outcome == OutboxStatus.SENT
                retrying += outcome == OutboxStatus.QUEUED
                failed += outcome == OutboxStatus.FAILED
        finally:
            try:
                connection.close()
            except Exception:  # closing a connection that never opened: nothing to do
                logger.debug("Closing the mail connection failed", exc_info=True)
    return Delivery(sent, retrying, failed)


def _claim(now: datetime, batch_size: int) -> tuple[str, list[OutboxMessage]] | None:
    """Take up to `batch_size` due messages, or ones whose claim has lapsed (a worker died)."""
    lapsed = now - timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)
    due = Q(status=OutboxStatus.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=lapsed
    )
    token = secrets.token_hex(16)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.with_scopes_disabled()
            .select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return None
        OutboxMessage.objects.with_scopes_disabled().filter(pk__in=ids).update(
            status=OutboxStatus.SENDING, claim_token=token, claimed_at=now
        )
    claimed = OutboxMessage.objects.with_scopes_disabled().filter(pk__in=ids)
    return token, list(claimed.order_by("next_attempt_at", "pk"))  # the order they fell due


def _send_one(connection: object, message: OutboxMessage, token: str) -> str:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email,
        to=[message.to],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    mine = OutboxMessage.objects.with_scopes_disabled().filter(pk=message.pk, claim_token=token)
    try:
        email.send()
    except Exception as error:  # every failure is this message's alone
        return _failed(mine, message, error)
    mine.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    return OutboxStatus.SENT


def _failed(mine, message: OutboxMessage, error: Exception) -> str:
    refused = is_refusal(error)
    attempts, refusals = message.attempts + 1, message.refusals + refused
    gives_up = refusals >= MAX_REFUSALS or attempts >= MAX_ATTEMPTS
    wait = min(settings.OUTBOX_FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_WAIT_SECONDS)
    status = OutboxStatus.FAILED if gives_up else OutboxStatus.QUEUED
    mine.update(
        status=status,
        attempts=attempts,
        refusals=refusals,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
        last_error=describe(error),
    )
    logger.warning(
        "E-mail %s %s (%s)",
        message.pk,
        "could not be delivered" if gives_up else "will be tried again",
        describe(error),
    )
    return status


def is_refusal(error: Exception) -> bool:
    """The server refused the message outright (a 5xx answer for the address or the message);
    anything else (down, busy, 4xx "try later", bad credentials) may pass if tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # our configuration, not the address: keep the message for later
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def describe(error: Exception) -> str:
    """The kind of failure for the record and the log, never the message's content."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"address refused ({', '.join(map(str, codes))})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} ({error.smtp_code})"
    if isinstance(error, (ConnectionError, socket.timeout, smtplib.SMTPServerDisconnected)):
        return f"mail server unreachable ({type(error).__name__})"
    return type(error).__name__
