"""The agenda of a combined session: recurring themes, each with a volunteer who leads it."""

from django.db import transaction
from django.db.models import Max

from organisations.models import User
from pairs.models import Pair, PairStatus
from programmes.models import GroupSession

from ..models import AgendaItem, LeadOffer, RecurringStatus, RecurringTheme
from .capture import ThemesError


@transaction.atomic
def agenda_item_add(*, session: GroupSession, recurring: RecurringTheme) -> AgendaItem:
    if recurring.programme_id != session.programme_id:
        raise ThemesError("Choose a recurring theme of this programme.")
    if recurring.status != RecurringStatus.ACCEPTED:
        raise ThemesError("Accept the proposed grouping before putting it on an agenda.")
    if hasattr(session, "theme_analysis"):
        raise ThemesError("The analysis for this session has gone out with its agenda.")
    last = AgendaItem.objects.filter(session=session).aggregate(last=Max("position"))["last"]
    item, _ = AgendaItem.objects.get_or_create(
        session=session, recurring=recurring, defaults={"position": (last or 0) + 1}
    )
    return item


def agenda_item_remove(*, item: AgendaItem) -> None:
    item.delete()


def _takes_part(session: GroupSession, user: User) -> bool:
    """A partner in a pair of the programme that is meeting."""
    pairs = Pair.objects.filter(programme=session.programme_id, status=PairStatus.ACTIVE)
    return pairs.filter(senior__user=user).exists() or pairs.filter(junior__user=user).exists()


def lead_offer(*, item: AgendaItem, user: User) -> LeadOffer:
    """A participant volunteers to lead a theme at the session."""
    if not _takes_part(item.session, user):
        raise ThemesError("The participants of the pairs that are meeting lead the themes.")
    offer, _ = LeadOffer.objects.get_or_create(item=item, user=user)
    return offer


def lead_offer_withdraw(*, item: AgendaItem, user: User) -> None:
    LeadOffer.objects.filter(item=item, user=user).delete()
    if item.lead_id == user.pk:
        item.lead = None
        item.save(update_fields=["lead"])


def lead_confirm(*, item: AgendaItem, user: User | None) -> AgendaItem:
    """The coordinator confirms one of the volunteers (or none)."""
    if user is not None and not LeadOffer.objects.filter(item=item, user=user).exists():
        raise ThemesError("Confirm one of the people who volunteered.")
    item.lead = user
    item.save(update_fields=["lead"])
    return item
