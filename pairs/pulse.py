"""Reading two partners' pulses for the coordinator: flags only, never the answers (pure)."""

from dataclasses import dataclass

LOW = 2
HIGH = 4

# What a partner is told about their pulse, wherever they read it: the form, the page, the
# thank-you. It must stay true to pulse_flags below and to who sees Pair.pulse_flags.
PULSE_PRIVACY = (
    "Your answers and comment are never shown to anyone, your partner and the coordinator "
    "included. Once you and your partner have both answered for the same meeting, the "
    "coordinator sees only a flag if your answers differ widely or one is low — never the "
    "answers or who gave them."
)
COMMENT_PRIVACY = "Never shown to anyone, and never used for a flag."
# What the coordinator is told beside the flags.
FLAGS_NOTE = (
    "From the latest meeting both partners answered for. You see only these flags: never the "
    "answers, the comments or who gave them."
)


@dataclass(frozen=True)
class PulseAnswers:
    """The four scaled answers; the comment is deliberately not here, so no flag can use it."""

    spoke_openly: int
    learned: int
    partner_learned: int
    going: int


# Pairs of answers that describe the same thing from each side: what one says about their own
# learning and what the other says about their partner's. Both learning comparisons carry one
# label, so a flag never tells which partner it is about.
COMPARISONS = (
    ("spoke_openly", "spoke_openly", "could speak openly"),
    ("going", "going", "how the relationship is going"),
    ("learned", "partner_learned", "what each partner learned"),
    ("partner_learned", "learned", "what each partner learned"),
)
LOW_LABELS = {
    "spoke_openly": "could speak openly",
    "learned": "learned something",
    "partner_learned": "partner learned something",
    "going": "how the relationship is going",
}


def pulse_flags(first: PulseAnswers | None, second: PulseAnswers | None) -> list[str]:
    """Flags from both partners' pulses on the same meeting: they see something very differently
    (one at 4-5, the other at 1-2), or an answer is low. Nothing until both have answered, and
    the same flags whichever partner is `first`, so a flag never tells who answered what."""
    if first is None or second is None:
        return []
    flags: list[str] = []
    for mine, theirs, label in COMPARISONS:
        a, b = getattr(first, mine), getattr(second, theirs)
        flag = f"The partners see “{label}” very differently"
        if max(a, b) >= HIGH and min(a, b) <= LOW and flag not in flags:
            flags.append(flag)
    for item, label in LOW_LABELS.items():
        if min(getattr(first, item), getattr(second, item)) <= LOW:
            flags.append(f"A low answer on “{label}”")
    return flags
