"""What themes hold about a person: the themes of the pairs they are in, and their offers to
lead a topic. Erased, a shared theme stays in the cohort's counts, in nobody's words."""

from django.db.models import Q

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import AgendaItem, LeadOffer, Theme, ThemeConsent

FORMER_PARTICIPANTS_THEME = "A theme from a former participant"
PAIR_PEOPLE = ("pair__senior__user", "pair__junior__user")


def themes_export(organisation: Organisation, person: User) -> dict[str, Records]:
    themes = Theme.objects.filter(pair__programme__organisation=organisation).filter(
        Q(pair__senior__user=person) | Q(pair__junior__user=person)
    )
    return {
        "Themes of your pairs": [
            record(
                t,
                "title",
                "noticed",
                "system",
                "source",
                "quick_win",
                "shared_at",
                "named",
                "created_at",
                added_by_you=t.added_by_id == person.pk,
            )
            for t in themes.order_by("created_at", "pk")
        ],
        "Topics you offered to lead": [
            record(o, "at", topic=o.item.recurring.title)
            for o in LeadOffer.objects.filter(
                item__session__programme__organisation=organisation, user=person
            ).select_related("item__recurring")
        ],
    }


def themes_erase(erasure: Erasure) -> int:
    touched = 0
    drafts = erasure.rows(Theme.objects, "pair__programme", "added_by").filter(
        shared_at__isnull=True
    )
    for rows in (
        drafts,
        erasure.rows(ThemeConsent.objects, "theme__pair__programme", "user"),
        erasure.rows(LeadOffer.objects, "item__session__programme", "user"),
    ):
        touched += rows.delete()[0]
    shared = erasure.rows(Theme.objects, "pair__programme", "added_by")
    words = {"noticed": ""}
    if erasure.person is not None:  # their title goes too; after retention, titles are the cohort's
        words["title"] = FORMER_PARTICIPANTS_THEME
    touched += shared.update(**words)
    # Themes shared "with our names" no longer name anyone.
    touched += erasure.rows(Theme.objects, "pair__programme", *PAIR_PEOPLE).update(named=False)
    if erasure.person is not None:
        touched += erasure.rows(AgendaItem.objects, "session__programme", "lead").update(lead=None)
    return touched
