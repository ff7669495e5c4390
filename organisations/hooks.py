"""Hooks: something happens in a lower app that apps above act on. An app above connects a
receiver in its AppConfig.ready; the lower app sends the hook, synchronously, inside its own
transaction, knowing nothing of who listens. Unlike Django's signals, a hook is declared where it
is sent, and a receiver's failure is the sender's failure (nothing is swallowed)."""

from collections.abc import Callable
from typing import Any

Receiver = Callable[..., Any]


class Hook:
    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Receiver] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"

    def connect(self, receiver: Receiver) -> Receiver:
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, **kwargs: Any) -> list[Any]:
        """Call every receiver with the keyword arguments; return what each returned."""
        return [receiver(**kwargs) for receiver in self._receivers]


# An invitation was accepted: receivers(invitation, user) give the new member what it promised.
invitation_accepted = Hook("invitation accepted")
# An invitation was cancelled before anyone used it: receivers(invitation) take back what they
# prepared for the invitee (a place waiting in a programme). A receiver may refuse by raising
# InvitationError (organisations.services) with the reason in words.
invitation_cancelled = Hook("invitation cancelled")
# What invitations are for, in words: receivers(invitations) return {invitation id: phrase}, a
# phrase such as ", as participant in the programme “Pilot”" that follows "to join <organisation>".
invitations_described = Hook("invitations described")
# What is wrong with people's e-mail addresses in an organisation: receivers(organisation,
# addresses) return {address: what to say}, e.g. that mail to it could not be delivered.
address_problems = Hook("address problems")
# Names of programmes for pages of this app (the audit log): receivers(organisation, ids) return
# {programme id: name}.
programmes_named = Hook("programmes named")
