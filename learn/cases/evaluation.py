"""Measure the anonymization checker on a labelled set of case files.

The folder holds case files and ``labels.yaml``, which maps each file name to
the leaking strings it contains (``[]`` for a clean file)::

    leak-01.md:
      - {text: 李建国, rule: 姓名}
    clean-01.md: []

Every occurrence of a labelled string (not followed by 某) is one expected
finding. A finding that overlaps an expected one is a true positive, any other
a false positive; an expected occurrence no finding covers is a miss.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from learn.cases.anonymize import RULES, find_problems_in_fields
from learn.cases.library import case_fields
from learn.content import read_front_matter

GROUPS = {
    "姓名": ("name",),
    "村/社区/公司名": ("village", "community", "company"),
    "证件、号码、地址等结构化信息": (
        "id_number",
        "mobile",
        "landline",
        "bank_card",
        "account",
        "plate",
        "email",
        "address",
    ),
}
_RULE_TO_KIND = {label: kind for kind, label in RULES.items()}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    groups: dict[str, Tally] = field(default_factory=lambda: {g: Tally() for g in GROUPS})
    leaking_files: int = 0
    leaking_caught: int = 0  # every expected leak of the file found
    clean_files: int = 0
    clean_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        tally = Tally()
        for t in self.groups.values():
            tally.tp, tally.fp, tally.fn = tally.tp + t.tp, tally.fp + t.fp, tally.fn + t.fn
        return tally

    def report_lines(self) -> list[str]:
        lines = ["类别\t查准率\t查全率\tTP\tFP\tFN"]
        for name, t in [*self.groups.items(), ("合计", self.total)]:
            lines.append(f"{name}\t{t.precision:.3f}\t{t.recall:.3f}\t{t.tp}\t{t.fp}\t{t.fn}")
        lines.append(
            f"含泄露文件 {self.leaking_files} 个，全部泄露均被发现的 {self.leaking_caught} 个；"
            f"干净文件 {self.clean_files} 个，被误报的 {self.clean_flagged} 个。"
        )
        lines.extend(f"漏报：{m}" for m in self.misses)
        lines.extend(f"误报：{m}" for m in self.false_alarms)
        return lines


def _group_of(kind: str) -> str:
    return next(g for g, kinds in GROUPS.items() if kind in kinds)


def _expected(fields: dict[str, str], labels: list[dict]) -> list[tuple[str, int, int, str]]:
    spans = []
    for label in labels:
        kind = _RULE_TO_KIND[label["rule"]]
        for name, text in fields.items():
            for match in re.finditer(re.escape(str(label["text"])), text):
                if not text.startswith("某", match.end()):
                    spans.append((name, match.start(), match.end(), kind))
    return spans


def evaluate_folder(folder: Path) -> Evaluation:
    """Run the checker over every labelled file and count hits, false alarms and misses."""
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8")) or {}
    result = Evaluation()
    for file_name in sorted(labels):
        parsed = read_front_matter(folder / file_name)
        fields = case_fields(parsed.meta, parsed.body)
        found = find_problems_in_fields(fields)
        expected = _expected(fields, labels[file_name] or [])
        covered = set()
        file_fp = 0
        for name, findings in found.items():
            for f in findings:
                hits = [
                    i
                    for i, (fname, start, end, _kind) in enumerate(expected)
                    if fname == name and start < f.end and f.start < end
                ]
                if hits:
                    covered.update(hits)
                    result.groups[_group_of(expected[hits[0]][3])].tp += 1
                else:
                    result.groups[_group_of(f.kind)].fp += 1
                    file_fp += 1
                    result.false_alarms.append(f"{file_name}: {f.text}（{f.rule}）")
        missed = [e for i, e in enumerate(expected) if i not in covered]
        for name, start, end, kind in missed:
            result.groups[_group_of(kind)].fn += 1
            result.misses.append(f"{file_name}: {fields[name][start:end]}（{RULES[kind]}）")
        if labels[file_name]:
            result.leaking_files += 1
            result.leaking_caught += not missed
        else:
            result.clean_files += 1
            result.clean_flagged += file_fp > 0
    return result
