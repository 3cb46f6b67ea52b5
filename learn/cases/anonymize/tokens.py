"""Segmentation with part-of-speech tags and character offsets, from a private rjieba.

The checker keeps its own dictionary instance so that words the search domain
adds to its segmenter cannot change what counts as a leak.
"""

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rjieba import Jieba

NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
# Tags of words that never start or name a person or place (的, 在, 和, 该, 三, 个 …).
FUNCTION_TAGS = frozenset(
    {
        "uj",
        "ul",
        "uz",
        "ud",
        "ug",
        "uv",
        "u",
        "p",
        "c",
        "r",
        "m",
        "q",
        "d",
        "f",
        "y",
        "e",
        "o",
        "x",
        "w",
    }
)

_ANONYMIZED_WORDS = ("某某", "某县", "某镇", "某乡", "某村", "某社区", "某公司", "某市", "某局")


class Token(NamedTuple):
    """A named tuple rather than a frozen dataclass: every word of every checked text is one."""

    word: str
    tag: str
    start: int
    end: int

    @property
    def is_han(self) -> bool:
        return all("\u4e00" <= ch <= "\u9fff" for ch in self.word)


@cache
def _jieba() -> "Jieba":
    import rjieba  # loaded on first use, not at start-up

    jieba = rjieba.Jieba()
    for word in _ANONYMIZED_WORDS:
        jieba.add_word(word, 100000, "r")
    return jieba


def segment(text: str) -> list[Token]:
    """Words of ``text`` with their tags and ``[start, end)`` offsets."""
    tokens = []
    pos = 0
    for word, tag in _jieba().tag(text):
        end = pos + len(word)
        tokens.append(Token(word, tag, pos, end))
        pos = end
    return tokens


def is_dictionary_word(word: str) -> bool:
    return _jieba().has_word(word)


@cache
def dictionary_tag(word: str) -> str:
    """The tag the dictionary gives ``word`` on its own ('' when it splits)."""
    tagged = _jieba().tag(word)
    return tagged[0][1] if len(tagged) == 1 else ""
