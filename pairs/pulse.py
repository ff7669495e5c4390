"""Reading two partners' pulses for the coordinator: flags only, never the answers (pure)."""

from dataclasses import dataclass

ITEMS = {
    "spoke_openly": "could speak openly",
    "learned": "learned something",
    "partner_learned": "partner learned something",
    "going": "how the relationship is going",
}
LOW = 2
HIGH = 4


@dataclass(frozen=True)
class PulseAnswers:
    spoke_openly: int
    learned: int
    partner_learned: int
    going: int


def pulse_flags(first: PulseAnswers | None, second: PulseAnswers | None) -> list[str]:
    """Flags from each partner's latest pulse: the two see something very differently (one at
    4-5, the other at 1-2), or an answer is low. Never says who answered what."""
    flags = []
    for item, label in ITEMS.items():
        answers = [getattr(p, item) for p in (first, second) if p is not None]
        if len(answers) == 2 and max(answers) >= HIGH and min(answers) <= LOW:
            flags.append(f"The partners see “{label}” very differently")
        elif answers and min(answers) <= LOW:
            flags.append(f"A low answer on “{label}”")
    return flags
