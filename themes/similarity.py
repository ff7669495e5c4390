"""Proposing which shared themes say the same thing: pure functions on plain text.

TF-IDF weighs the words a theme uses by how rare they are across the cohort's themes, and
average-linkage clustering on cosine distance joins themes whose words overlap enough, without
being told how many groups to find. It needs no model to download, gives the same answer every
time, and its reason can be shown: the words the themes share. scikit-learn (and numpy under it)
is imported only when a worker proposes groupings, never by the web process.
"""

import re
from dataclasses import dataclass

# Themes further apart than this (cosine distance, 0 the same words, 1 none in common) are not
# proposed together. Chosen on the demo's themes and the tests': lower splits paraphrases, higher
# joins themes that share one common word.
DISTANCE_THRESHOLD = 0.85
SHARED_WORDS = 4


@dataclass(frozen=True)
class Text:
    id: int
    group: int  # the pair: a grouping must span at least two
    words: str


@dataclass(frozen=True)
class Grouping:
    ids: tuple[int, ...]
    representative: int  # the theme closest to the others, whose title the proposal takes
    shared_words: tuple[str, ...]


def _singular(word: str) -> str:
    """ "panels" and "panel" are one word here; a stemmer would do more, and need a package."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def propose_groupings(texts: list[Text]) -> list[Grouping]:
    """Groups of similar texts from at least two groups, largest first. The same texts give
    the same groupings in whatever order they come."""
    texts = sorted(texts, key=lambda text: text.id)
    if len(texts) < 2:
        return []
    from sklearn.cluster import AgglomerativeClustering  # worker only: see the module's note
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    def words(text: str) -> list[str]:
        return [
            _singular(word)
            for word in re.findall(r"[a-z]{2,}", text.lower())
            if word not in ENGLISH_STOP_WORDS
        ]

    vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([text.words for text in texts])
    except ValueError:  # nothing but stop words
        return []
    dense = matrix.toarray()
    if not dense.any(axis=1).all():  # a text of stop words only: propose without it
        return propose_groupings(
            [text for text, row in zip(texts, dense, strict=True) if row.any()]
        )
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=DISTANCE_THRESHOLD,
    ).fit_predict(dense)
    similarity = cosine_similarity(dense)
    terms = vectorizer.get_feature_names_out()
    groupings = []
    for label in sorted(set(labels)):
        members = [i for i, found in enumerate(labels) if found == label]
        if len({texts[i].group for i in members}) < 2:
            continue
        closeness = [sum(similarity[i][j] for j in members) for i in members]
        centre = dense[members].mean(axis=0)
        # Words at least two of its texts use, the weightiest first (ties alphabetically).
        used_by = (dense[members] > 0).sum(axis=0)
        shared = sorted(
            (k for k in range(len(terms)) if used_by[k] >= 2), key=lambda k: (-centre[k], terms[k])
        )
        top = [str(terms[k]) for k in shared[:SHARED_WORDS]]
        groupings.append(
            Grouping(
                ids=tuple(texts[i].id for i in members),
                representative=texts[members[closeness.index(max(closeness))]].id,
                shared_words=tuple(top),
            )
        )
    return sorted(groupings, key=lambda g: (-len(g.ids), g.ids))
