"""Chinese text analysis: the one segmentation function used for indexing and querying.

``Segmenter.tokens`` turns text into words (rjieba plus the domain dictionary);
``bigram_tokens`` turns it into overlapping character pairs for the recall field.
Both backends and the query planner call these, so a document and a query are
always cut the same way.

Text is normalised character by character (NFKC when that keeps one character,
then lower case) so full-width letters and brackets match their ASCII forms
while every character keeps its offset — highlights point at the original text.
Dictionary words that contain punctuation (村（社区）) cannot go into jieba, which
always splits at punctuation, so they are matched first and kept whole.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # character offsets in the original text
    end: int


def _normalize_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    return folded.lower()


def normalize(text: str) -> str:
    """Fold width and case without changing the length of ``text``."""
    return "".join(_normalize_char(c) for c in text)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
    )


def is_word_char(char: str) -> bool:
    """Letters and digits (any script) can be searched; punctuation and symbols cannot."""
    return unicodedata.category(char)[0] in ("L", "N")


def is_searchable(word: str) -> bool:
    return any(is_word_char(c) for c in word)


class Segmenter:
    """Cut text into words with rjieba and a domain dictionary."""

    def __init__(self, dictionary: Iterable[str] = ()):
        import rjieba  # loaded on first use, not at start-up

        self._jieba = rjieba.Jieba()
        whole = []
        for word in {normalize(w.strip()) for w in dictionary if w and w.strip()}:
            if all(is_word_char(c) for c in word):
                self._jieba.add_word(word, None, None)
            elif is_searchable(word):
                whole.append(word)
        whole.sort(key=len, reverse=True)
        self._whole = re.compile("|".join(map(re.escape, whole))) if whole else None

    def tokens(self, text: str) -> list[Token]:
        """Searchable words of ``text`` in order; punctuation and spaces are dropped."""
        folded = normalize(text)
        out: list[Token] = []
        last = 0
        if self._whole is not None:
            for match in self._whole.finditer(folded):
                out.extend(self._cut(folded, last, match.start()))
                out.append(Token(match.group(), match.start(), match.end()))
                last = match.end()
        out.extend(self._cut(folded, last, len(folded)))
        return out

    def words(self, text: str) -> list[str]:
        return [t.text for t in self.tokens(text)]

    def parts(self, word: str) -> tuple[str, ...]:
        """Shorter words that tile a long word (收受礼金 → 收受, 礼金), or () if none do.

        The index cuts 收受了礼金 into 收受 · 了 · 礼金, so a query for the
        compound also looks for its parts; jieba's search mode proposes them.
        """
        word = normalize(word)
        if len(word) < 4 or not all(is_cjk(c) for c in word):
            return ()
        pieces = {(s, e) for _w, s, e in self._jieba.tokenize(word, "search", True)}
        pieces |= {(i, i + 1) for i in range(len(word))}
        pieces = {(s, e) for s, e in pieces if e - s < len(word)}
        # Fewest pieces covering the word; a single character costs more than a word.
        best: list[tuple[float, tuple] | None] = [None] * (len(word) + 1)
        best[0] = (0.0, ())
        for end in range(1, len(word) + 1):
            for start, stop in pieces:
                if stop == end and best[start] is not None:
                    cost = best[start][0] + (1.0 if stop - start > 1 else 1.6)
                    if best[end] is None or cost < best[end][0]:
                        best[end] = (cost, (*best[start][1], word[start:stop]))
        tiling = best[len(word)][1]
        return tiling if sum(len(p) > 1 for p in tiling) >= 2 else ()

    def _cut(self, folded: str, start: int, end: int) -> list[Token]:
        if start >= end:
            return []
        tokens = []
        for word, s, e in self._jieba.tokenize(folded[start:end]):
            word = word.strip()
            if word and is_searchable(word):
                tokens.append(Token(word, start + s, start + e))
        return tokens


@lru_cache(maxsize=8)
def segmenter_for(dictionary: tuple[str, ...]) -> Segmenter:
    """A shared segmenter per dictionary (building one loads jieba's model)."""
    return Segmenter(dictionary)


def bigram_tokens(text: str) -> list[str]:
    """Overlapping character pairs of each run of Chinese characters; other words whole.

    A single Chinese character between non-Chinese characters is kept as it is,
    so every searchable character is represented. Positions are ordinals, so a
    phrase query over bigrams is an exact substring match.
    """
    folded = normalize(text)
    out: list[str] = []
    run: list[str] = []
    word: list[str] = []

    def flush_run():
        if len(run) == 1:
            out.append(run[0])
        out.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
        run.clear()

    def flush_word():
        if word:
            out.append("".join(word))
            word.clear()

    for char in folded:
        if is_cjk(char):
            flush_word()
            run.append(char)
        elif is_word_char(char):
            flush_run()
            word.append(char)
        else:
            flush_run()
            flush_word()
    flush_run()
    flush_word()
    return out
