"""Structured identifiers: ID, phone, bank card and account numbers, plates, e-mail, addresses.

These must be caught every time, so the patterns are broad and the exceptions
narrow: masked forms (``138****5678``, ``豫A·×××××``) and numbers that identify
no one (amounts, dates, document numbers such as 汉纪发〔2023〕12号, the 12388
hotline) are the only things let through.
"""

import re
from collections.abc import Iterator
from datetime import date

from learn.cases.anonymize.findings import Finding

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(text: str) -> bool:
    """True for an 18-character ID number whose check character (0–9 or X) is right."""
    text = text.upper()
    return (
        len(text) == 18
        and text[:17].isdigit()
        and (text[17].isdigit() or text[17] == "X")
        and id_check_digit(text[:17]) == text[17]
    )


def _plausible_birth_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= date.today().year


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

# A long run of digits, optionally grouped by spaces or hyphens (6222 0212 3456 7890).
_LONG_NUMBER_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(\d{4}(?:[ -]\d{4}){2,}(?:[ -]\d{1,4})?|\d{12,25}[Xx]?)"
    + _NOT_ALNUM_AFTER
)
_MOBILE_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"((?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}|1[3-9]\d[ -]\d{4}[ -]\d{4})"
    + _NOT_ALNUM_AFTER
)
_LANDLINE_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"((?:[（(]0\d{2,3}[）)]\s?|0\d{2,3}[ -])\d{7,8}(?:[-转]\d{1,5})?|[48]00[ -]\d{3}[ -]\d{4})"
    + _NOT_ALNUM_AFTER
)
# A bare 7–8 digit number is a phone only when it is introduced as one.
_PHONE_BY_KEYWORD_RE = re.compile(
    r"(?:电话|座机|固话|联系方式|手机|号码|热线)(?:号码|号)?(?:是|为|：|:)?\s*(\d{7,8})"
    + _NOT_ALNUM_AFTER
)
_PLATE_RE = re.compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][·•．.\s]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警]?)" + _NOT_ALNUM_AFTER
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Only the number is flagged: a street name alone locates no one (建设路 stays, 128号 goes).
_HOUSE_NUMBER_RE = re.compile(
    r"(?<=[路街道巷弄同组屯庄])\d+(?:[-—]\d+)?号(?:院|楼)?(?:\d+(?:栋|幢|号楼|单元|层|室|号))*"
)
_BUILDING_RE = re.compile(
    r"\d+(?:栋|幢|号楼|座)(?:\d+单元)?(?:\d+层)?\d+(?:室|号|户)"
    r"|\d+单元\d+(?:室|号|户)"
    r"|门牌号?(?:是|为|：|:)?\d+"
)


def _looks_like_id(digits: str) -> bool:
    if len(digits) == 18:
        return is_valid_id_number(digits) or digits[-1] in "Xx"
    return len(digits) == 15 and _plausible_birth_date("19" + digits[6:12])


def _long_number_findings(text: str) -> Iterator[Finding]:
    for match in _LONG_NUMBER_RE.finditer(text):
        raw = match.group(1)
        digits = re.sub(r"[ -]", "", raw)
        if _looks_like_id(digits):
            kind = "id_number"
        elif digits[-1] in "Xx":
            continue
        elif (
            len(digits) == 18
            and _plausible_birth_date(digits[6:14])
            and not (luhn_ok(digits) and digits.startswith("62"))
        ):
            # A mistyped ID number is still an ID number.
            kind = "id_number"
        elif 16 <= len(digits) <= 19 and luhn_ok(digits):
            kind = "bank_card"
        elif len(digits) < 12:
            continue
        else:
            kind = "account"
        yield Finding(match.start(1), match.end(1), kind, raw)


def _pattern_findings(text: str, pattern: re.Pattern, kind: str, group: int = 1):
    for match in pattern.finditer(text):
        yield Finding(match.start(group), match.end(group), kind, match.group(group))


def _plate_findings(text: str) -> Iterator[Finding]:
    for finding in _pattern_findings(text, _PLATE_RE, "plate"):
        if sum(ch.isdigit() for ch in finding.text) >= 2:
            yield finding


def structured_findings(text: str) -> list[Finding]:
    """Every structured identifier in ``text`` (possibly overlapping; callers de-duplicate)."""
    found: list[Finding] = []
    found.extend(_long_number_findings(text))
    found.extend(_pattern_findings(text, _MOBILE_RE, "mobile"))
    found.extend(_pattern_findings(text, _LANDLINE_RE, "landline"))
    found.extend(_pattern_findings(text, _PHONE_BY_KEYWORD_RE, "landline"))
    found.extend(_plate_findings(text))
    found.extend(_pattern_findings(text, _EMAIL_RE, "email", group=0))
    found.extend(_pattern_findings(text, _HOUSE_NUMBER_RE, "address", group=0))
    found.extend(_pattern_findings(text, _BUILDING_RE, "address", group=0))
    return found
