"""The query parser: what a person typed → terms, OR groups and exclusions.

Hand-written and tolerant: it never raises and never turns bad syntax into
nothing. Whatever it had to reinterpret (an unbalanced quote, a lone ``OR`` or
``-``, emoji, an over-long query) is reported in ``notices`` so the page can
say what was searched instead.

Syntax: plain words (ANDed), ``"exact phrase"`` (also “…” 「…」 『…』),
``-word`` / ``-"phrase"`` to exclude, ``A OR B`` (also ``A | B``) for either.
Natural questions (村里的低保被干部冒领怎么处理) are recognised so the planner can
rank by how much of the question a case covers instead of requiring every word.
"""

import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 100
MAX_CLAUSES = 12
QUOTES = frozenset('"“”「」『』')
OR_WORDS = frozenset({"OR", "|"})
QUESTION_MARKERS = (
    "?",
    "怎么",
    "怎样",
    "如何",
    "什么",
    "哪些",
    "哪个",
    "哪种",
    "为什么",
    "为何",
    "是否",
    "能否",
    "可否",
    "吗",
)
_BRACKETS = {"(": ")", "[": "]", "{": "}", "【": "】", "〔": "〕"}


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False

    @property
    def display(self) -> str:
        return f"“{self.text}”" if self.phrase else self.text


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by OR; a document must match at least one."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Term, ...] = ()
    notices: tuple[str, ...] = ()
    question: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded


@dataclass
class _Item:
    text: str
    phrase: bool = False
    negated: bool = False
    operator: bool = False


def _fold_width(text: str) -> str:
    """Full-width ASCII to half-width (keeps case and length, unlike ``segment.normalize``)."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _clean(text: str) -> tuple[str, bool]:
    """Replace symbols, emoji and control characters with spaces; report whether any were."""
    out = []
    dropped = False
    for char in text:
        category = unicodedata.category(char)
        if char in QUOTES or char in "-|" or category[0] in "LNP" or category in ("Mn", "Mc"):
            out.append(char)
        elif category[0] == "Z" or char in "\t\n\r":
            out.append(" ")
        else:
            dropped = True
            out.append(" ")
    return "".join(out), dropped


def _brackets_balanced(text: str) -> bool:
    stack = []
    closing = set(_BRACKETS.values())
    for char in text:
        if char in _BRACKETS:
            stack.append(_BRACKETS[char])
        elif char in closing and (not stack or stack.pop() != char):
            return False
    return not stack


def _lex(text: str, notices: list[str]) -> list[_Item]:
    items: list[_Item] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == " ":
            i += 1
            continue
        negated = False
        if char == "-":
            j = i
            while j < n and text[j] == "-":
                j += 1
            if j >= n or text[j] == " ":
                notices.append("“-”后面要紧跟要排除的词（如 -礼金），单独的“-”已忽略。")
                i = j
                continue
            negated, i = True, j
            char = text[i]
        if char in QUOTES:
            end = next((k for k in range(i + 1, n) if text[k] in QUOTES), None)
            if end is None:
                rest = text[i + 1 :].strip()
                notices.append(
                    f"引号不成对，“{rest}”已按普通词语检索。" if rest else "末尾多余的引号已忽略。"
                )
                items.extend(_Item(w, negated=negated) for w in rest.split())
                break
            inner = " ".join(text[i + 1 : end].split())
            if inner:
                items.append(_Item(inner, phrase=True, negated=negated))
            else:
                notices.append("空的引号已忽略。")
            i = end + 1
            continue
        end = i
        while end < n and text[end] != " " and text[end] not in QUOTES:
            end += 1
        word = text[i:end]
        if word in OR_WORDS and not negated:
            items.append(_Item(word, operator=True))
        else:
            items.append(_Item(word, negated=negated))
        i = end
    return items


def _clauses(items: list[_Item], notices: list[str]) -> tuple[list[list[Term]], list[Term]]:
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    last_positive = False
    for item in items:
        if item.operator:
            if not last_positive or pending_or:
                notices.append("“OR”两侧都需要检索词（如 受贿 OR 行贿），多余的 OR 已忽略。")
            else:
                pending_or = True
            continue
        term = Term(item.text, item.phrase)
        if item.negated:
            if pending_or:
                notices.append("“OR”不能连接排除词，已把它当作排除条件。")
                pending_or = False
            excluded.append(term)
            last_positive = False
        elif pending_or:
            clauses[-1].append(term)
            pending_or = False
            last_positive = True
        else:
            clauses.append([term])
            last_positive = True
    if pending_or:
        notices.append("“OR”两侧都需要检索词（如 受贿 OR 行贿），末尾的 OR 已忽略。")
    return clauses, excluded


def parse_query(raw) -> ParsedQuery:
    """Parse what a person typed; never raises."""
    text = raw if isinstance(raw, str) else ""
    notices: list[str] = []
    text, dropped = _clean(_fold_width(text))
    text = " ".join(text.split())
    if dropped:
        notices.append("已忽略表情符号等无法检索的字符。")
    if len(text) > MAX_QUERY_CHARS:
        notices.append(f"检索词过长（{len(text)} 个字符），只使用了前 {MAX_QUERY_CHARS} 个字符。")
        text = text[:MAX_QUERY_CHARS].rstrip()
    if not _brackets_balanced(text):
        notices.append("括号不成对，已忽略括号。")
    elif any(b in text for b in _BRACKETS) and any(w in text.split() for w in OR_WORDS):
        notices.append("不支持用括号分组：OR 只连接它两侧相邻的词。")
    question = any(marker in text for marker in QUESTION_MARKERS)
    clauses, excluded = _clauses(_lex(text, notices), notices)
    if len(clauses) > MAX_CLAUSES:
        notices.append(f"检索词过多，只使用了前 {MAX_CLAUSES} 个。")
        clauses = clauses[:MAX_CLAUSES]
    return ParsedQuery(
        clauses=tuple(Clause(tuple(c)) for c in clauses),
        excluded=tuple(excluded[:MAX_CLAUSES]),
        notices=tuple(notices),
        question=question,
    )
