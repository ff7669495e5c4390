"""A real SMTP server on this machine for the tests (the outside world the outbox talks to): it
accepts, refuses some addresses, asks for later, or is not there at all."""

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: str
    message_id: str
    subject: str


@dataclass
class MailServer:
    """What the server does with each recipient: accept, refuse (550) or defer (451). For a
    recipient in `hold`, it keeps the message but waits to answer until `release()`: a sender
    killed meanwhile never learns that it was taken."""

    refuse: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)
    hold: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.hold.clear()
        self.released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.defer:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content)
        for address in envelope.rcpt_tos:
            self.received.append(Received(address, parsed["Message-ID"], parsed["Subject"]))
        while set(envelope.rcpt_tos) & self.hold and not self.released.is_set():
            await asyncio.sleep(0.1)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [message for message in self.received if message.to == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(server: MailServer, port: int) -> Controller:
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    return controller
