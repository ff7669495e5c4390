"""Reading two partners' pulses for the coordinator: flags only, never the answers (pure)."""

from dataclasses import dataclass

LOW = 2
HIGH = 4


@dataclass(frozen=True)
class PulseAnswers:
    spoke_openly: int
    learned: int
    partner_learned: int
    going: int


# Pairs of answers that describe the same thing from each side: what one says about their own
# learning and what the other says about their partner's.
COMPARISONS = (
    ("spoke_openly", "spoke_openly", "could speak openly"),
    ("going", "going", "how the relationship is going"),
    ("learned", "partner_learned", "what one partner learned"),
    ("partner_learned", "learned", "what the other partner learned"),
)
LOW_LABELS = {
    "spoke_openly": "could speak openly",
    "learned": "learned something",
    "partner_learned": "partner learned something",
    "going": "how the relationship is going",
}


def pulse_flags(first: PulseAnswers | None, second: PulseAnswers | None) -> list[str]:
    """Flags from both partners' pulses on the same meeting: they see something very differently
    (one at 4-5, the other at 1-2), or an answer is low. Nothing until both have answered, so a
    flag never tells who answered what."""
    if first is None or second is None:
        return []
    flags = []
    for mine, theirs, label in COMPARISONS:
        a, b = getattr(first, mine), getattr(second, theirs)
        if max(a, b) >= HIGH and min(a, b) <= LOW:
            flags.append(f"The partners see “{label}” very differently")
    for item, label in LOW_LABELS.items():
        if min(getattr(first, item), getattr(second, item)) <= LOW:
            flags.append(f"A low answer on “{label}”")
    return flags
