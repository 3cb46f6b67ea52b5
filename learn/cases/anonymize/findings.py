"""What the checker reports: a finding is a span of text that could identify someone."""

from dataclasses import dataclass, field

# kind code → the rule name shown to people (and printed by ``learn cases check``)
RULES = {
    "name": "姓名",
    "id_number": "身份证号",
    "mobile": "手机号",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "account": "银行账号",
    "plate": "车牌号",
    "email": "电子邮箱",
    "address": "详细地址",
    "village": "村名",
    "community": "社区名",
    "company": "公司名",
}
STRUCTURED_KINDS = frozenset(
    {"id_number", "mobile", "landline", "bank_card", "account", "plate", "email", "address"}
)


@dataclass(frozen=True, order=True)
class Finding:
    """``text`` at ``[start, end)`` of the scanned string is a ``kind`` of identifier."""

    start: int
    end: int
    kind: str
    text: str
    # For places, the generic tail a fix keeps: 宏达|建筑工程有限公司 → 某建筑工程有限公司.
    suffix: str = field(default="", compare=False)

    @property
    def rule(self) -> str:
        return RULES[self.kind]

    @property
    def structured(self) -> bool:
        return self.kind in STRUCTURED_KINDS

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end


def without_overlaps(findings: list["Finding"]) -> list["Finding"]:
    """Keep the earliest, then longest, of overlapping findings; sorted by position."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.overlaps(kept[-1]):
            continue
        kept.append(finding)
    return kept
