"""Question-bank quality: can a bank be passed without reading the lessons?

Measured per bank and checked by ``flask content check`` (issue 22, issue 13 item 1):

- the share of single-choice questions whose key is the longest option (a test-wise learner picks
  the long, careful, qualified answer);
- the share of multiple-answer questions the "longest-n" heuristic solves (the n longest options,
  n being the number of correct ones, are exactly the correct ones);
- where the correct options sit in file order (authors tend to write the key first; option ids
  once followed file order): an exact one-sided test per position against chance;
- the balance of "Đúng" and "Sai" keys in true/false questions.

Each question is counted by the shape of its kind (``learning/assessment/kinds.py``): a kind with
fixed choices (true/false) by the balance of its keys, a one-answer kind as single choice, a kind
that allows several answers as multiple answer.

Also the coverage of the rule-bearing anchors of the regulation library by lessons and questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from learning.assessment.kinds import GROUPING, KINDS
from learning.catalog.citations import INLINE_PATTERN

LONGEST_LIMIT = 0.35  # share of single-choice questions whose key is the longest option
LONGEST_N_LIMIT = 0.20  # share of multiple-answer questions the longest-n heuristic solves
POSITION_P_LIMIT = 0.01  # a key position this unlikely under chance fails the bank
TRUE_FALSE_LIMIT = 0.70  # share of the more frequent true/false key, checked from TRUE_FALSE_MIN questions
TRUE_FALSE_MIN = 4

# Parts of a document that state no rule: title blocks, preambles, addressees, signatures.
ADMINISTRATIVE = {"dau-van-ban", "mo-dau", "ket-thuc", "noi-nhan", "chu-ky", "qd", "qd-noi-nhan", "qd-chu-ky",
                  "quy-che", "quy-dinh", "p1", "p2"}


def option_length(text: str) -> int:
    """Visible length: folded YAML and spacing do not count."""
    return len(" ".join(text.split()))


def key_is_longest(options: list[tuple[str, bool]]) -> bool:
    """The key is (one of) the longest: a tie still points at it."""
    key = max(option_length(text) for text, correct in options if correct)
    return key >= max(option_length(text) for text, _ in options)


def longest_n_solves(options: list[tuple[str, bool]]) -> bool:
    """Every correct option is at least as long as every wrong one."""
    right = [option_length(text) for text, correct in options if correct]
    wrong = [option_length(text) for text, correct in options if not correct]
    return bool(right and wrong) and min(right) >= max(wrong)


def poisson_binomial_tail(probabilities: list[float], k: int) -> float:
    """P(X >= k) for X the number of successes of independent trials with these probabilities."""
    dist = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(dist) + 1)
        for i, mass in enumerate(dist):
            nxt[i] += mass * (1 - p)
            nxt[i + 1] += mass * p
        dist = nxt
    return sum(dist[k:]) if k < len(dist) else 0.0


@dataclass
class BankQuality:
    code: str
    single: int = 0
    single_longest: int = 0
    multiple: int = 0
    multiple_longest_n: int = 0
    true_false: int = 0
    true_false_dung: int = 0
    # position → (questions with an option there, of them correct there, chance expectation)
    positions: dict[int, list] = field(default_factory=dict)
    _trials: dict[int, list[float]] = field(default_factory=dict, repr=False)

    @property
    def longest_share(self) -> float:
        return self.single_longest / self.single if self.single else 0.0

    @property
    def longest_n_share(self) -> float:
        return self.multiple_longest_n / self.multiple if self.multiple else 0.0

    @property
    def true_false_majority(self) -> float:
        if not self.true_false:
            return 0.0
        return max(self.true_false_dung, self.true_false - self.true_false_dung) / self.true_false

    def position_p(self, position: int) -> float:
        return poisson_binomial_tail(self._trials[position], self.positions[position][1])

    def add(self, kind: str, options: list[tuple[str, bool]]) -> None:
        spec = KINDS[kind]
        if spec.choices:
            self.true_false += 1
            self.true_false_dung += next(text for text, correct in options if correct) == spec.choices[0]
            return
        if not spec.multiple:
            self.single += 1
            self.single_longest += key_is_longest(options)
        else:
            self.multiple += 1
            self.multiple_longest_n += longest_n_solves(options)
        chance = sum(correct for _, correct in options) / len(options)
        for position, (_, correct) in enumerate(options):
            row = self.positions.setdefault(position, [0, 0, 0.0])
            row[0] += 1
            row[1] += correct
            row[2] += chance
            self._trials.setdefault(position, []).append(chance)

    def problems(self) -> list[str]:
        found = []
        if self.longest_share > LONGEST_LIMIT:
            found.append(f"đáp án đúng là lựa chọn dài nhất ở {self.single_longest}/{self.single} câu một lựa "
                         f"chọn ({self.longest_share:.0%}; tối đa {LONGEST_LIMIT:.0%}): viết lại phương án nhiễu")
        if self.longest_n_share > LONGEST_N_LIMIT:
            found.append(f"chọn các lựa chọn dài nhất giải được {self.multiple_longest_n}/{self.multiple} câu "
                         f"nhiều lựa chọn ({self.longest_n_share:.0%}; tối đa {LONGEST_N_LIMIT:.0%})")
        for position, (_, hits, expected) in sorted(self.positions.items()):
            if self.position_p(position) < POSITION_P_LIMIT:
                found.append(f"đáp án đúng nằm ở vị trí thứ {position + 1} trong tệp {hits} lần (ngẫu nhiên "
                             f"khoảng {expected:.1f}): xáo lại thứ tự lựa chọn trong tệp")
        if self.true_false >= TRUE_FALSE_MIN and self.true_false_majority > TRUE_FALSE_LIMIT:
            found.append(f"câu đúng/sai lệch đáp án: {self.true_false_dung} “Đúng”, "
                         f"{self.true_false - self.true_false_dung} “Sai” (tối đa {TRUE_FALSE_LIMIT:.0%} một phía)")
        return found

    def summary(self) -> str:
        spread = "/".join(str(row[1]) for _, row in sorted(self.positions.items()))
        return (f"{self.code}: dài nhất là đáp án {self.single_longest}/{self.single} ({self.longest_share:.0%}), "
                f"dài nhất-n {self.multiple_longest_n}/{self.multiple} ({self.longest_n_share:.0%}), "
                f"vị trí đáp án trong tệp {spread}, đúng/sai {self.true_false_dung} Đúng – "
                f"{self.true_false - self.true_false_dung} Sai")


def questions_of(quiz) -> Iterator:
    for item in quiz.questions:
        yield from (item.questions if item.kind == GROUPING else [item])


def bank_quality(code: str, questions: Iterable) -> BankQuality:
    quality = BankQuality(code)
    for question in questions:
        quality.add(question.kind, [(o.text, o.correct) for o in question.options])
    return quality


def rule_anchors(regulations: dict) -> list[tuple[str, list[str]]]:
    """Rule-bearing anchors: leaves of the library with text, outside title blocks and signatures.

    Each comes with the keys that teach it: itself, and the clause it belongs to (a point is taught
    when its clause is cited)."""
    found = []

    def visit(rid: str, nodes, clauses: list[str]) -> None:
        for node in nodes:
            here = clauses + [node.anchor] if "-k" in node.anchor else clauses
            if node.children:
                visit(rid, node.children, here)
            elif node.anchor not in ADMINISTRATIVE and node.text.strip():
                found.append((f"{rid}#{node.anchor}", [f"{rid}#{a}" for a in {node.anchor, *here}]))

    for rid, (reg, _) in regulations.items():
        visit(rid, reg.sections, [])
    return found


def cited_keys(content) -> set[str]:
    keys: set[str] = set()
    for course in content.courses:
        for lesson in course.lessons:
            keys.update(INLINE_PATTERN.findall(lesson.text))
        if course.quiz:
            for question in questions_of(course.quiz):
                keys.update(question.cite)
    return keys


def coverage(content) -> tuple[int, int, list[str]]:
    """(covered, total, uncovered keys) of the rule-bearing anchors."""
    cited = cited_keys(content)
    anchors = rule_anchors(content.regulations)
    missing = [key for key, teaching in anchors if not cited.intersection(teaching)]
    return len(anchors) - len(missing), len(anchors), missing


def coverage_problems(covered: int, total: int, missing: list[str], minimum_percent: int) -> list[str]:
    """The coverage failure of `content check`, naming the clauses no lesson or question teaches."""
    if not total or covered * 100 >= minimum_percent * total:
        return []
    return [f"độ phủ điều khoản mang quy tắc {covered}/{total} ({covered / total:.0%}) dưới mức tối thiểu "
            f"{minimum_percent}%: dạy thêm trong bài học (trích dẫn [[…]]) hoặc câu hỏi (cite) các điều khoản "
            f"{', '.join(missing)}"]


def content_quality(content) -> list[BankQuality]:
    return [bank_quality(course.data.code, questions_of(course.quiz)) for course in content.courses if course.quiz]
