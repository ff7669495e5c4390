"""The three standard surveys of the domain guide, created with every programme (data only).

Each item: (key, category, kind, text, choices). The same key in the baseline and the evaluation
survey shows the change between them.
"""

AGREE = "agree"
TEXT = "text"
SCALE10 = "scale10"

OUTCOME_ITEMS = (
    ("learning_see", "learning", AGREE, "I see things at work differently from how I did.", []),
    ("learning_do", "learning", AGREE, "I can now do things I could not do before.", []),
    ("career_progress", "career", AGREE, "I have made progress in my career.", []),
    ("enabling_direction", "enabling", AGREE, "I have a clearer sense of direction.", []),
    ("enabling_plan", "enabling", AGREE, "I have a better development plan.", []),
    ("emotional_confidence", "emotional", AGREE, "I feel more confident at work.", []),
    ("emotional_efficacy", "emotional", AGREE, "I believe I can change things at work.", []),
    (
        "recip_diversity",
        "reciprocal",
        AGREE,
        "I understand how diversity shapes people's experience of this organisation.",
        [],
    ),
    (
        "recip_culture",
        "reciprocal",
        AGREE,
        "I understand how our culture helps some people and holds others back.",
        [],
    ),
    (
        "recip_power",
        "reciprocal",
        AGREE,
        "I understand the power dynamics between people at different levels.",
        [],
    ),
    (
        "recip_politics",
        "reciprocal",
        AGREE,
        "I understand how the organisation's political systems work.",
        [],
    ),
    (
        "recip_applied",
        "reciprocal",
        AGREE,
        "I have applied what I learned to my own behaviour and work.",
        [],
    ),
    ("org_belonging", "organisational", AGREE, "I feel I belong in this organisation.", []),
    (
        "org_belong_room",
        "organisational",
        SCALE10,
        "After a promotion panel: to what extent did you feel you belonged in the room?",
        [],
    ),
    (
        "org_best_self",
        "organisational",
        SCALE10,
        "After a promotion panel: to what extent did the environment let you present yourself "
        "at your best?",
        [],
    ),
)

INITIAL_ITEMS = (
    ("rel_trust", "relationship", AGREE, "My partner and I trust each other.", []),
    (
        "rel_equals",
        "relationship",
        AGREE,
        "We meet as equals despite our difference in status.",
        [],
    ),
    ("rel_both_learn", "relationship", AGREE, "We are both learning from the relationship.", []),
    (
        "rel_frequency",
        "relationship",
        "single",
        "How often have you met?",
        ["Not yet", "Once", "Two or three times", "More often"],
    ),
    (
        "themes",
        "themes",
        TEXT,
        "Which themes from your conversations could point to something in the organisation's "
        "systems?",
        [],
    ),
)

EVALUATION_EXTRA = (
    ("learned_most", "learning", TEXT, "What is the most important thing you learned?", []),
)

STANDARD_SURVEYS = {
    "baseline": ("Baseline survey", OUTCOME_ITEMS),
    "initial": ("Initial survey: how the relationship is developing", INITIAL_ITEMS),
    "evaluation": ("Programme evaluation survey", OUTCOME_ITEMS + EVALUATION_EXTRA),
}
