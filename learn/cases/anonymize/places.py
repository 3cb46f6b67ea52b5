"""Named villages, communities and companies (红旗村, 幸福社区, 宏达建筑工程有限公司).

A place word (村, 社区, 有限公司 …) is a leak only when a proper name stands
before it. Anonymized and generic forms — 某村, 该村, 行政村, 贫困村, 3个村,
某建筑公司, 县城投公司, 其妻弟开办的劳务公司 — name nothing and pass.
"""

from collections.abc import Iterator

from learn.cases.anonymize.findings import Finding
from learn.cases.anonymize.lexicon import (
    COMMUNITY_WORDS,
    COMPANY_WORDS,
    GENERIC_PLACE_PREFIXES,
    INDUSTRY_WORDS,
    PLACE_NAME_WORDS,
    SURNAMES,
    VILLAGE_WORDS,
)
from learn.cases.anonymize.tokens import (
    FUNCTION_TAGS,
    Token,
    is_dictionary_word,
    segment,
)

# Village bodies written straight after the name: 红旗|村委会, 前进|村党支部.
_VILLAGE_BODIES = ("村委会", "村委", "村党支部", "村党总支", "村两委", "村集体", "村民委员会")
_COMMUNITY_BODIES = ("社区居委会", "社区党支部", "社区党委", "社区党总支")
_MAX_NAME = 4
_ORGANS = (
    "党委",
    "党支部",
    "党总支",
    "居委会",
    "村委会",
    "村民委员会",
    "居民委员会",
    "书记",
    "主任",
    "两委",
)
# One-character endings of village names: 王家|湾|村, 刘家|营|村.
_GEO_SUFFIXES = frozenset(
    "湾庄营屯寨坪沟岭岗坡坝堡铺集桥河山塘园店楼湖洼圩口头台峪窝冲垸畈堰井滩嘴坳场"
)
# Tags of words that name something by themselves (人名, 地名, 机构名, 其他专名).
_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nz", "nt"})
_VERB_TAGS = frozenset({"v", "vn", "vd", "vg", "vi", "vq", "ad", "an", "l", "i", "z"})
_GENERIC_ENDINGS = tuple(g for g in GENERIC_PLACE_PREFIXES if len(g) >= 2)


def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


# Place words longest first, sorted once: every token of every text is tried against them.
_VILLAGE_SUFFIXES = _longest_first(VILLAGE_WORDS)
_COMMUNITY_SUFFIXES = _longest_first(COMMUNITY_WORDS)
_COMPANY_SUFFIXES = _longest_first(COMPANY_WORDS)
_ANY_SUFFIX = (*_VILLAGE_SUFFIXES, *_COMMUNITY_SUFFIXES, *_COMPANY_SUFFIXES)
_ANY_BODY = (*_VILLAGE_BODIES, *_COMMUNITY_BODIES)


def _is_generic(name: str) -> bool:
    return name in GENERIC_PLACE_PREFIXES or name.endswith(_GENERIC_ENDINGS)


def _proper_name(name: str) -> bool:
    """True when ``name`` reads as the proper name of one place or firm."""
    return (
        0 < len(name) <= _MAX_NAME
        and all("\u4e00" <= ch <= "\u9fff" for ch in name)
        and "某" not in name
        and not any(word in name for word in ("村", "社区"))
        and not _is_generic(name)
    )


def _name_before(tokens: list[Token], index: int, strict: bool = False) -> Token | None:
    """The proper name standing right before ``tokens[index]``, if any.

    A one-character token (王家|湾|村) is joined to the word before it. With
    ``strict`` only words tagged as proper names, words not in the dictionary,
    and the usual village names (幸福, 红星 …) are accepted: jieba tags plenty
    of verbs as nouns (委托|社区, 指导|社区).
    """
    if index == 0:
        return None
    first = index - 1
    if len(tokens[first].word) == 1 and first > 0:
        first -= 1
    parts = tokens[first:index]
    if len(parts) == 2 and not _proper_name(parts[0].word + parts[1].word):
        parts = parts[1:]
    name = "".join(t.word for t in parts)
    if name in PLACE_NAME_WORDS:
        return Token(name, parts[0].tag, parts[0].start, parts[-1].end)
    if any(t.tag in FUNCTION_TAGS or t.tag in _VERB_TAGS for t in parts):
        return None
    head = parts[0]
    if not _proper_name(name):
        return None
    if (
        strict
        and not (len(parts) == 2 and parts[1].word in _GEO_SUFFIXES)
        and head.tag not in _PROPER_TAGS
        and is_dictionary_word(head.word)
        and name not in PLACE_NAME_WORDS
    ):
        return None
    return Token(name, head.tag, head.start, parts[-1].end)


def _split_suffix(word: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """``word`` cut before the longest of ``suffixes`` (given longest first) it ends with.

    Callers test ``word.endswith(suffixes)`` first: one C call rejects most tokens.
    """
    suffix = next(s for s in suffixes if word.endswith(s))
    return word[: -len(suffix)], suffix


def _organ_follows(tokens: list[Token], index: int) -> bool:
    """锦绣社区|党委书记: a village body or office right after the place word."""
    return index + 1 < len(tokens) and tokens[index + 1].word.startswith(_ORGANS)


def _village_like(
    tokens: list[Token], indexes: list[int], kind: str, words, suffixes, bodies
) -> Iterator[Finding]:
    for index in indexes:
        token = tokens[index]
        if token.word.endswith(suffixes):
            prefix, suffix = _split_suffix(token.word, suffixes)
            if prefix:
                if _proper_name(prefix) and (len(prefix) > 1 or prefix in SURNAMES):
                    yield Finding(token.start, token.end, kind, token.word, suffix)
                continue
            name = _name_before(tokens, index, strict=not _organ_follows(tokens, index))
            if name is not None:
                yield Finding(name.start, token.end, kind, name.word + token.word, token.word)
            continue
        if token.word.startswith(bodies):
            name = _name_before(tokens, index, strict=True)
            if name is not None:
                place = next(w for w in words if token.word.startswith(w))
                end = token.start + len(place)
                yield Finding(name.start, end, kind, name.word + place, place)


def _company(tokens: list[Token], indexes: list[int]) -> Iterator[Finding]:
    for index in indexes:
        token = tokens[index]
        if not token.word.endswith(_COMPANY_SUFFIXES):
            continue
        prefix, suffix = _split_suffix(token.word, _COMPANY_SUFFIXES)
        if prefix and prefix not in INDUSTRY_WORDS:
            if _proper_name(prefix):
                yield Finding(token.start, token.end, "company", token.word, suffix)
            continue
        first = index
        while first > 0 and tokens[first - 1].word in INDUSTRY_WORDS:
            first -= 1
        brand = _name_before(tokens, first)
        if brand is not None:
            tail = "".join(t.word for t in tokens[first : index + 1])
            yield Finding(brand.start, token.end, "company", brand.word + tail, tail)


def place_findings(text: str, tokens: list[Token] | None = None) -> list[Finding]:
    """Named villages, communities and companies in ``text``."""
    tokens = tokens if tokens is not None else segment(text)
    # One pass with two C-level tests keeps the few tokens a finding can be built on:
    # those ending in a place word, and village or community bodies (村委会 …).
    indexes = [
        i
        for i, token in enumerate(tokens)
        if token.word.endswith(_ANY_SUFFIX) or token.word.startswith(_ANY_BODY)
    ]
    found = list(
        _village_like(tokens, indexes, "village", VILLAGE_WORDS, _VILLAGE_SUFFIXES, _VILLAGE_BODIES)
    )
    found.extend(
        _village_like(
            tokens, indexes, "community", COMMUNITY_WORDS, _COMMUNITY_SUFFIXES, _COMMUNITY_BODIES
        )
    )
    found.extend(_company(tokens, indexes))
    return found
