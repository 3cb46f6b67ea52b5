"""Personal names: a surname followed by a given name, wherever it stands in a sentence.

A candidate starts at a surname (复姓 first) and is judged on three kinds of
evidence: what the segmenter makes of it (a word tagged as a person name, or a
lone surname followed by name-like characters), the words around it (村民…,
…书记, …，男，, a 、 list) and whether it is an ordinary word that merely
begins with a surname character (王牌, 高度, 马上). Anonymized forms (张某,
李某某, 欧阳某) and public figures are never reported.
"""

from collections.abc import Iterator

from learn.cases.anonymize.findings import Finding
from learn.cases.anonymize.lexicon import (
    COMMON_NAME_LIKE_WORDS,
    COMPOUND_SURNAMES,
    GIVEN_NAME_CHARS,
    LEFT_ROLE_WORDS,
    PUBLIC_FIGURES,
    RIGHT_ROLE_WORDS,
    SEX_MARKERS,
    SURNAMES,
)
from learn.cases.anonymize.tokens import (
    FUNCTION_TAGS,
    NAME_TAGS,
    Token,
    dictionary_tag,
    is_dictionary_word,
    segment,
)

ANONYMOUS_MARK = "某"
LIST_SEPARATORS = "、和与及"
# Tuples, so that one str.startswith/endswith call tries them all.
_RIGHT_CUES = (*RIGHT_ROLE_WORDS, *SEX_MARKERS)
_PUBLIC_FIGURES = tuple(PUBLIC_FIGURES)
# First characters of every surname: most words start with none and are skipped at once.
_SURNAME_INITIALS = SURNAMES | {surname[0] for surname in COMPOUND_SURNAMES}


def surname_of(word: str) -> str:
    """The surname a word starts with ('' when none): 复姓 before 单姓."""
    if word[:2] in COMPOUND_SURNAMES:
        return word[:2]
    if word[:1] in SURNAMES:
        return word[:1]
    return ""


def is_anonymized_name(text: str) -> bool:
    """张某, 李某某, 欧阳某 — a surname followed only by 某."""
    surname = surname_of(text)
    rest = text[len(surname) :]
    return bool(surname) and bool(rest) and set(rest) == {ANONYMOUS_MARK}


def _name_like(given: str) -> bool:
    return 1 <= len(given) <= 2 and all(ch in GIVEN_NAME_CHARS for ch in given)


def _left_cue(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start]
    return before.endswith(LEFT_ROLE_WORDS)


def _right_cue(text: str, end: int) -> bool:
    after = text[end : end + 6]
    return after.startswith(_RIGHT_CUES)


def _listed_with_person(text: str, start: int, end: int) -> bool:
    """In a list with another person: 张某、王建国 / 王建国、李某某."""
    before = text[max(0, start - 5) : start]
    after = text[end : end + 5]
    if before[-1:] and before[-1] in LIST_SEPARATORS:
        left = before[:-1]
        for size in (2, 3, 4):
            if is_anonymized_name(left[-size:]):
                return True
    if after[:1] and after[0] in LIST_SEPARATORS:
        right = after[1:]
        for size in (2, 3, 4):
            if is_anonymized_name(right[:size]):
                return True
    return False


def _has_cue(text: str, start: int, end: int) -> bool:
    return _left_cue(text, start) or _right_cue(text, end) or _listed_with_person(text, start, end)


def _is_public_figure(text: str, start: int) -> bool:
    return text.startswith(_PUBLIC_FIGURES, start)


def _given_token(tokens: list[Token], index: int) -> Token | None:
    if index >= len(tokens):
        return None
    token = tokens[index]
    if not token.is_han or ANONYMOUS_MARK in token.word or not 1 <= len(token.word) <= 2:
        return None
    return token


def _split_name(text: str, tokens: list[Token], index: int, surname: str) -> Finding | None:
    """A surname token followed by a given-name token: 赵|立新, 张|秀英, 欧阳|文华."""
    head = tokens[index]
    given = _given_token(tokens, index + 1)
    if given is None or given.tag in FUNCTION_TAGS - {"d"}:
        return None
    span = head.word + given.word
    start, end = head.start, given.end
    cue = _has_cue(text, start, end)
    evidence = (
        given.tag in NAME_TAGS
        or (head.tag in NAME_TAGS and _name_like(given.word))
        or (len(surname) == 2 and _name_like(given.word))
        or (given.tag in {"nz", "ns"} and _name_like(given.word))
    )
    if not (evidence or (cue and _name_like(given.word))):
        return None
    if is_dictionary_word(span) and not (cue and dictionary_tag(span) in NAME_TAGS):
        return None
    return Finding(start, end, "name", span)


def _word_name(text: str, token: Token, surname: str) -> Finding | None:
    """A single word that starts with a surname: 李建国, 王强, 司马光.

    jieba's dictionary tags many ordinary words as names (阳光, 杜绝, 雷同), so
    a dictionary word counts only with a cue around it (村民高峰); a word the
    segmenter discovered itself counts when it is tagged as a name.
    """
    word = token.word
    given = word[len(surname) :]
    if (
        not 1 <= len(given) <= 2
        or ANONYMOUS_MARK in given
        or not token.is_han
        or word in COMMON_NAME_LIKE_WORDS
    ):
        return None
    cue = _has_cue(text, token.start, token.end)
    if is_dictionary_word(word):
        # Three-character dictionary names are people (王志强); two-character ones
        # are too often ordinary words (高峰, 常青) to count without a cue.
        named = _name_like(given) and dictionary_tag(word) in NAME_TAGS and (cue or len(given) == 2)
    elif token.tag in NAME_TAGS:
        named = _name_like(given) or len(given) == 2
    else:
        named = cue and _name_like(given)
    return Finding(token.start, token.end, "name", word) if named else None


def _candidates(text: str, tokens: list[Token]) -> Iterator[tuple[int, Finding]]:
    for index, token in enumerate(tokens):
        if token.word[:1] not in _SURNAME_INITIALS:
            continue
        surname = surname_of(token.word)
        if not surname or _is_public_figure(text, token.start):
            continue
        if token.word == surname:
            found = _split_name(text, tokens, index, surname)
        else:
            found = _word_name(text, token, surname)
        if (
            found is not None
            and found.text not in PUBLIC_FIGURES
            and not text.startswith(ANONYMOUS_MARK, found.end)
        ):
            yield index, found


def _listed_names(text: str, tokens: list[Token], found: dict[int, Finding]) -> None:
    """Add dictionary names listed with a found one: 李娜、王伟 (李娜 is a dictionary word)."""
    changed = True
    while changed:
        changed = False
        for index, token in enumerate(tokens):
            if index in found or token.tag not in NAME_TAGS or not 2 <= len(token.word) <= 4:
                continue
            surname = surname_of(token.word)
            if not surname or not _name_like(token.word[len(surname) :]):
                continue
            if token.word in COMMON_NAME_LIKE_WORDS or token.word in PUBLIC_FIGURES:
                continue
            for neighbour, separator in ((index - 2, index - 1), (index + 2, index + 1)):
                if (
                    neighbour in found
                    and 0 <= separator < len(tokens)
                    and tokens[separator].word in LIST_SEPARATORS
                ):
                    found[index] = Finding(token.start, token.end, "name", token.word)
                    changed = True
                    break


_PROPER_NOUN_TAGS = NAME_TAGS | {"ns", "nz", "nt"}


def _given_after(text: str, start: int) -> str:
    """One or two name-like characters at ``start`` (two when both are name-like)."""
    pair = text[start : start + 2]
    if len(pair) == 2 and _name_like(pair):
        return pair
    return pair[:1] if _name_like(pair[:1]) else ""


def _ordinary_word_at(tokens_at: dict[int, Token], start: int, end: int) -> bool:
    token = tokens_at.get(start)
    return (
        token is not None
        and len(token.word) >= 2
        and token.end <= end
        and is_dictionary_word(token.word)
        and token.tag not in _PROPER_NOUN_TAGS
    )


def _cued_names(text: str, tokens: list[Token]) -> Iterator[Finding]:
    """Names right after a role word (书记宁海波, 朋友闻人杰), however jieba split them.

    The segmenter sometimes glues a name to the next word (宁海|波为); a role
    word in front is strong enough evidence to read the characters directly.
    """
    tokens_at = {t.start: t for t in tokens}
    for role in LEFT_ROLE_WORDS:
        pos = text.find(role)
        while pos != -1:
            start = pos + len(role)
            surname = surname_of(text[start : start + 2])
            given = _given_after(text, start + len(surname)) if surname else ""
            end = start + len(surname) + len(given)
            if (
                given
                and not text.startswith(ANONYMOUS_MARK, end)
                and not _ordinary_word_at(tokens_at, start, end)
                and not _is_public_figure(text, start)
            ):
                yield Finding(start, end, "name", text[start:end])
            pos = text.find(role, pos + 1)


def name_findings(text: str, tokens: list[Token] | None = None) -> list[Finding]:
    """Full personal names in ``text``."""
    tokens = tokens if tokens is not None else segment(text)
    found = dict(_candidates(text, tokens))
    _listed_names(text, tokens, found)
    taken = list(found.values())
    for cued in _cued_names(text, tokens):
        if not any(cued.overlaps(f) for f in taken):
            taken.append(cued)
    return sorted(taken)
