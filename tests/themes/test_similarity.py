"""Which shared themes say the same thing: pure functions on plain text, no database."""

import random
import re
import subprocess
import sys

from themes.similarity import Text, propose_groupings

CALIBRATION = [
    "Calibration changes nobody records. After a promotion panel, scores move in a "
    "calibration meeting that has no minutes.",
    "Promotion scores moved in calibration. Our panel scores were changed at calibration and "
    "nobody wrote down why.",
    "Nobody records why calibration moves promotion scores after the panels.",
]
PUB = [
    "After-work drinks at the pub. The conversations that matter happen at the pub after work.",
    "Socialising at the pub leaves people out. Colleagues who do not drink miss the pub after "
    "work.",
]
UNRELATED = [
    "Job adverts ask for culture fit, and recruiters screen candidates on it.",
    "Team meetings are held at lunchtime, when carers are away.",
    "The board has no junior voices in its meetings.",
    "Our disability data is missing from the workforce report.",
]


def texts(*groups: list[str], pairs: list[int] | None = None) -> list[Text]:
    """One text per theme, each from a pair of its own unless `pairs` says whose."""
    words = [text for group in groups for text in group]
    owners = pairs or list(range(100, 100 + len(words)))
    pairs_of = zip(words, owners, strict=True)
    return [Text(n + 1, owner, text) for n, (text, owner) in enumerate(pairs_of)]


def test_paraphrases_from_different_pairs_are_grouped_and_unrelated_themes_are_not():
    found = propose_groupings(texts(CALIBRATION, PUB, UNRELATED))
    assert [grouping.ids for grouping in found] == [(1, 2, 3), (4, 5)]  # largest first


def test_themes_sharing_one_common_word_are_not_grouped():
    assert propose_groupings(texts(UNRELATED)) == []


def test_a_grouping_never_consists_of_one_pairs_themes_only():
    same_pair = texts(PUB, pairs=[7, 7])
    assert propose_groupings(same_pair) == []
    two_of_one_and_one_of_another = texts(CALIBRATION, pairs=[7, 7, 8])
    assert [g.ids for g in propose_groupings(two_of_one_and_one_of_another)] == [(1, 2, 3)]


def test_the_same_themes_give_the_same_groupings_in_any_order():
    given = texts(CALIBRATION, PUB, UNRELATED)
    first = propose_groupings(given)
    for seed in range(5):
        shuffled = list(given)
        random.Random(seed).shuffle(shuffled)
        assert propose_groupings(shuffled) == first


def test_the_words_the_themes_share_are_shown_and_each_is_in_two_of_them_at_least():
    given = texts(CALIBRATION, PUB, UNRELATED)
    by_id = {text.id: text.words.lower() for text in given}
    calibration, pub = propose_groupings(given)
    assert "calibration" in calibration.shared_words and "pub" in pub.shared_words
    for grouping in (calibration, pub):
        assert 1 <= len(grouping.shared_words) <= 4
        for word in grouping.shared_words:
            users = [pk for pk in grouping.ids if re.search(rf"\b{word}", by_id[pk])]
            assert len(users) >= 2, (word, grouping)
    assert calibration.representative in calibration.ids


def test_text_of_stop_words_only_is_left_out_without_a_crash():
    nothing = [Text(1, 1, "It is what it is."), Text(2, 2, "And then, of course, we were.")]
    assert propose_groupings(nothing) == []
    with_real_ones = [*texts(PUB), Text(9, 9, "The and of it, is it not?"), Text(10, 10, "")]
    assert [g.ids for g in propose_groupings(with_real_ones)] == [(1, 2)]


def test_fewer_than_two_themes_propose_nothing():
    assert propose_groupings([]) == []
    assert propose_groupings(texts(PUB[:1])) == []


def test_the_web_process_never_imports_the_clustering_library():
    code = "import sys, themes.similarity; sys.exit('sklearn' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
