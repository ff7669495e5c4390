"""What supervision adds to other apps' pages (registered in SupervisionConfig.ready)."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from organisations.querysets import head_of
from pairs.models import Pair
from programmes.permissions import Perm

from .models import OPEN_STATUSES, Referral, ReferralStatus, Urgency
from .plain import status_in_plain_words
from .selectors import (
    caseload,
    consents_asked_of,
    referrals_of_pair,
    referrals_raised_by,
    triage_queue,
)


def partnership_panel(request: HttpRequest, *, pair: Pair, **_: Any) -> dict[str, Any]:
    """On a partner's own page: ask for supervision, see what became of it, answer an offer."""
    mine = _with_status(referrals_raised_by(request.programme, request.user).filter(pair=pair))
    return {
        "pair": pair,
        "rows": [(referral, status_in_plain_words(referral)) for referral in mine[:5]],
        "consents": consents_asked_of(request.programme, request.user),
    }


def _with_status(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """What a panel shows of the referrals someone raised: when, and what became of them."""
    return referrals.select_related(None).only("pair_id", "created_at", "status", "decline_reason")


def coordinator_pair_panel(request: HttpRequest, *, pair: Pair, **_: Any) -> dict | None:
    """On the coordinator's page of a pair: its referrals (urgent first) and a way to refer it."""
    if Perm.TRIAGE not in request.programme_perms:
        return None
    return {"pair": pair, "referrals": referrals_of_pair(request.programme, pair)}


def steering_panel(request: HttpRequest, pairs: Sequence[Pair]) -> dict[int, dict[str, Any]]:
    """Under each pair on a steering member's pairs page, by its check-in: refer the pair, and
    what became of the (latest three) referrals they made of it; one query for the page."""
    raised: dict[int, list] = defaultdict(list)
    mine = _with_status(referrals_raised_by(request.programme, request.user).filter(pair__in=pairs))
    for referral in mine:
        if len(raised[referral.pair_id]) < 3:
            raised[referral.pair_id].append((referral, status_in_plain_words(referral)))
    return {pair.pk: {"pair": pair, "raised": raised[pair.pk]} for pair in pairs}


SHOWN_ON_HOME = 5


def consents_home(request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    """On a participant's home: supervision offered to them that waits for their answer (only
    participants are referred, so nobody else is asked)."""
    if Perm.TAKE_PART not in request.programme_perms:
        return None
    consents = list(consents_asked_of(request.programme, request.user)[:SHOWN_ON_HOME])
    return {"consents": consents} if consents else None


def triage_home(request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    """On the coordinator's home: referrals waiting for them, urgent ones first, without text."""
    if Perm.TRIAGE not in request.programme_perms:
        return None
    queue = triage_queue(request.programme, status=ReferralStatus.NEW)
    # What the panel shows of each: its urgency, when it was raised and whose pair it is.
    shown = queue.select_related(None).select_related("pair__senior", "pair__junior")
    shown = shown.only(
        "urgency", "created_at", "pair__senior__full_name", "pair__junior__full_name"
    )
    waiting = head_of(shown, SHOWN_ON_HOME, urgent=Q(urgency=Urgency.URGENT))
    return {
        "referrals": waiting.rows,
        "waiting": waiting.total,
        "urgent": waiting.counted["urgent"],
    }


def caseload_home(request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    """On a supervisor's home: their open cases, urgent and waiting first, with the next session."""
    if Perm.SUPERVISE not in request.programme_perms:
        return None
    open_cases = caseload(request.programme, request.user).filter(status__in=OPEN_STATUSES)
    cases = head_of(open_cases, SHOWN_ON_HOME)
    return {"cases": cases.rows, "count": cases.total}
