"""Probe the support check on every enumeration of the library: does each list item's question get its own value?

    python bench/enum_probe.py [--corpus /work/libsrc] [--seeds seeds] [-v] [--limit N] [--pattern P]

Reads every report (``**/*.txt`` under ``--corpus`` and ``--seeds``), splits it into sentences
(:func:`reportqa.index.reading.sentences.split_sentences`), and finds enumerations with a reading of its own, kept
simple and independent of :mod:`reportqa.qa.enumeration`:

* ``fenbie``: "A、B和C产量分别达x、y、z" — the items before 分别 in its clause (split at 、, then at the last
  和/及/与, then at every separator, as many as there are values), the values after it (a run of figures with only
  a separator between two);
* ``fenbie-ahead``: "进口1.2万亿元，出口2.3万亿元，分别增长3.1%和5.2%" — a clause opening with 分别 after one clause per
  item (each naming its item before its figure); each item is also asked its own figure;
* ``items-values``: "改造老旧供热、燃气、排水管网800公里、600公里、300公里" — items then as many values, no 分别;
* ``item-value``: "粮食产量108万吨、蔬菜95万吨" — a run of parts each naming its item before its value.

For each item one natural question is written ("{item}{shared measure}是多少？", "{item}增长了多少？" when the list is
of changes, with the words between 分别 and the first value), understood once (:func:`reportqa.qa.query.understand`)
and checked with :func:`reportqa.qa.support.support` on the sentence. ``right``: the support value starts inside the
item's own value; ``none``: no support (a decline); ``WRONG``: another value — another item's (``other-item``) or
another quantity (``other``). The probe's reading can be wrong too (a lead word cut into the first item, a value
list the probe cut short): judge a WRONG by reading the sentence.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jieba
from reportqa.index.reading.sentences import split_sentences
from reportqa.index.text.tokens import init_jieba
from reportqa.qa.query import understand
from reportqa.qa.support import support

Span = tuple[int, int]

_CLAUSE = re.compile(r"[，,；;：:。！？]")
_SEP = r"(?:、|和|及|与|以及)"
_NUM = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_VALUE = re.compile(rf"(?:约|近|超过|超)?(?![0-9０-９]{{4}}年){_NUM}[^、，,；;：:。！？和及与（(]{{0,6}}")
"""A figure with what follows it up to the next separator (its unit, 左右, 以上)."""
_RUN_GAP = re.compile(rf"^{_SEP}$")
_LEAD = re.compile(r"^(?:其中|包括|全年|共|累计|对|[0-9０-９]{4}年|今年|去年|上年|同时|并|比上年|比去年)+")
_CJK2 = re.compile(r"^[\u4e00-\u9fff“”\"《》]{2,16}$")
_VERBISH = re.compile(
    r"^(?:年均|同比|比|较|增长|增加|提高|下降|减少|降低|连续|达到?|超过|突破|实现|居|占|约|近|新增|累计|"
    r"分别|其中|全年|平均|共|同期|快于|高于|低于|慢于)|连续|快于|高于|低于|慢于|等$"
)
"""Words that go on about a value (年均增长5%, 连续47年) rather than name a next item."""
_CHANGE_UP = re.compile(r"增长|增加|提高|上升|增")
_CHANGE_DOWN = re.compile(r"下降|减少|降低|下降了|减")


@dataclass(frozen=True)
class Probe:
    pattern: str
    question: str
    sentence: str
    want: Span
    others: tuple[Span, ...]
    """The other values of the list (another item's value when support lands on one)."""


def _values_run(text: str, start: int) -> list[Span]:
    """The figures from ``start`` on (after at most a few words), each separated from the next by one separator."""
    out: list[Span] = []
    pos = start
    while True:
        m = _VALUE.match(text, pos)
        if not m:
            break
        out.append((m.start(), m.end()))
        g = re.match(_SEP, text[m.end() :])
        if not g:
            break
        pos = m.end() + g.end()
    return out


def _split_items(head: str, n: int) -> list[str] | None:
    dun = head.split("、")
    cands = [dun]
    last = list(re.finditer(r"以及|和|及|与", dun[-1]))
    if last:
        m = last[-1]
        cands.append([*dun[:-1], dun[-1][: m.start()], dun[-1][m.end() :]])
    cands.append(re.split(_SEP, head))
    for c in cands:
        c = [x.strip() for x in c]
        if len(c) == n and all(c) and all(_CJK2.match(x) for x in c[1:]):
            return c
    return None


MEASURES = ("产量", "增加值", "增速", "增幅", "收入", "投资", "总额", "营业额", "规模", "面积", "人数", "数量", "比重",
            "占比", "产值", "排放量", "总量", "销量", "支出", "消费", "利润", "价格", "产能", "能力", "里程", "覆盖率",
            "率", "量", "额")  # fmt: skip
"""Words a list's last item may end with that name the measure all items share (the probe's own short list)."""


def _named_items(items: list[str]) -> list[str] | None:
    """Each item as a question names it: the lead words (全年, 其中) off the first, the shared measure (the last
    item's last word when it is one of :data:`MEASURES` and not its only word) added to the others."""
    its = list(items)
    its[0] = _LEAD.sub("", its[0])
    if not its[0] or any(len(x) < 2 for x in its):
        return None
    words = jieba.lcut(its[-1])
    tail = ""
    for w in MEASURES:
        if len(words) >= 2 and words[-1].endswith(w) and len(words[-1]) <= len(w) + 1:
            tail = words[-1]
            break
    return [x + tail for x in its[:-1]] + [its[-1]]


def _ask(name: str, verb: str, value: str = "") -> str:
    if value.rstrip("左右以上").endswith("倍") and verb.endswith("的"):  # 分别为1982年的3.4倍和2.2倍
        return f"{name}是{re.sub(r'^(?:为|是)', '', verb)}多少倍？"
    if verb.startswith("占") and len(verb) > 1:  # 分别占全国的12%、8%
        return f"{name}{verb}多少？"
    verb = re.sub(r"^(?:为|是|达到?|实现|完成|突破|超过|占|约|增至|增加到|提高到|提升到|达|共)$", "", verb)
    if _CHANGE_DOWN.search(verb):
        return f"{name}{verb}了多少？" if not verb.endswith("了") else f"{name}{verb}多少？"
    if _CHANGE_UP.search(verb):
        return f"{name}{verb}了多少？" if not verb.endswith("了") else f"{name}{verb}多少？"
    return f"{name}{verb}是多少？"


def _clauses(s: str) -> list[Span]:
    out, a = [], 0
    for m in _CLAUSE.finditer(s):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(s)))
    return [(x, y) for x, y in out if s[x:y].strip()]


def probes(s: str) -> Iterator[Probe]:
    spans = _clauses(s)
    listed: tuple[int, list[str]] = (-2, [])  # the last 分别 list's clause and its items
    for ci, (a, b) in enumerate(spans):
        clause = s[a:b]
        at = clause.find("分别")
        if at >= 0:
            verb_m = re.match(r"(?:[^0-9０-９、，,；;。]|[0-9０-９]{4}年){0,8}", s[a + at + 2 : b])
            verb = verb_m.group(0) if verb_m else ""
            first = a + at + 2 + len(verb)
            vals = [v for v in _values_run(s, first) if v[1] <= b]
            if len(vals) < 2:
                continue
            head = clause[:at].strip()
            if re.search(r"(?:由|从)[^，,；;、]{0,6}$", head):
                continue  # 由上年分别增长x和y，减为…: which of the two lists a question asks is the probe's to guess
            if re.match(r"(?:由|从)", verb):  # 分别从771家、481家增加到1076家、636家: the level reached
                gap = re.match(r"[^0-9０-９、，,；;。]{0,6}?(?:到|至)", s[vals[-1][1] : b])
                more = [v for v in _values_run(s, vals[-1][1] + gap.end()) if v[1] <= b] if gap else []
                if len(more) != len(vals):
                    continue
                vals = more
                verb = ""
            verb = re.sub(r"^(?:是|为)$", "", verb.strip())
            if head:
                items = _split_items(head, len(vals))
                named = _named_items(items) if items else None
                if named:
                    listed = (ci, named)
                    for k, name in enumerate(named):
                        yield Probe("fenbie", _ask(name, verb, s[vals[k][0] : vals[k][1]]), s, vals[k], tuple(vals))
                elif (
                    listed[0] == ci - 1 and len(listed[1]) == len(vals) and re.fullmatch(r"[\u4e00-\u9fff]{1,6}", head)
                ):
                    # 分别新增12项和44项，累计分别达到64项和288项: the items of the list before, with this clause's lead
                    for k, name in enumerate(listed[1]):
                        q = _ask(name + head, verb, s[vals[k][0] : vals[k][1]])
                        yield Probe("fenbie-continued", q, s, vals[k], tuple(vals))
            elif ci >= len(vals):
                own = []
                for x, y in spans[ci - len(vals) : ci]:
                    m = re.match(
                        rf"^([^0-9０-９]{{2,12}}?)(?:达到?|为|是|实现|完成|突破|超过)?({_VALUE.pattern})$",
                        _LEAD.sub("", s[x:y].strip()),
                    )
                    if not m:
                        break
                    off = s.index(m.group(2), x)
                    own.append((_LEAD.sub("", m.group(1)), (off, off + len(m.group(2)))))
                if len(own) == len(vals) and all(len(n) >= 2 and "分别" not in n for n, _ in own):
                    for k, (name, level) in enumerate(own):
                        yield Probe(
                            "fenbie-ahead",
                            _ask(name, verb or "增长", s[vals[k][0] : vals[k][1]]),
                            s,
                            vals[k],
                            tuple(vals),
                        )
                        yield Probe("fenbie-ahead-level", f"{name}是多少？", s, level, tuple(v for _, v in own))
            continue
        # items then as many values (no 分别)
        m = re.search(rf"{_NUM}", clause)
        if m and "、" in clause[: m.start()]:
            vals = [v for v in _values_run(s, a + m.start()) if v[1] <= b]
            if len(vals) >= 2:
                items = _split_items(clause[: m.start()].strip(), len(vals))
                named = _named_items(items) if items and not _VERBISH.search(items[-1]) else None
                if any(re.search(r"[/／]|[\u4e00-\u9fff]{4}", s[x:y]) for x, y in vals):
                    named = None  # 1/4、1/3: fractions; 750千伏主变扩建: a name, no value
                if named:
                    for k, name in enumerate(named):
                        yield Probe("items-values", f"{name}是多少？", s, vals[k], tuple(vals))
                    continue
        # item-value runs: 粮食产量108万吨、蔬菜95万吨
        parts = clause.split("、")
        if len(parts) >= 2:
            got: list[tuple[str, Span]] = []
            off = a
            for p in parts:
                pm = re.match(rf"^([\u4e00-\u9fff]{{2,10}}?)(?:达到?|为|是)?({_VALUE.pattern})$", p)
                if not pm:
                    got = []
                    break
                x = off + pm.start(2)
                got.append((pm.group(1), (x, x + len(pm.group(2)))))
                off += len(p) + 1
            if len(got) >= 2:
                names = [_LEAD.sub("", n) for n, _ in got]
                if all(len(n) >= 2 and not _VERBISH.search(n) for n in names):
                    vals = tuple(v for _, v in got)
                    for name, v in zip(names, vals, strict=True):
                        yield Probe("item-value", f"{name}是多少？", s, v, vals)
                    continue
        # value-item runs: 6个世界级、7个国家级、9个区域级产业集群
        if len(parts) >= 2:
            runs = [re.match(rf"^({_NUM})([个家项座所条])([\u4e00-\u9fff]{{2,12}})$", p) for p in parts]
            if all(runs):
                found = [m for m in runs if m]
                words = jieba.lcut(found[-1].group(3))
                tail = words[-1] if len(words) >= 2 else ""
                names = [m.group(3) for m in found[:-1]] + [found[-1].group(3)[: len(found[-1].group(3)) - len(tail)]]
                if all(len(n) >= 2 and not _VERBISH.search(n) for n in names) and len({m.group(2) for m in found}) == 1:
                    off, vals_ = a, []
                    for p, m in zip(parts, found, strict=True):
                        vals_.append((off, off + len(m.group(1)) + 1))
                        off += len(p) + 1
                    for name, v in zip(names, vals_, strict=True):
                        yield Probe("value-item", f"{name}{tail}有多少{found[0].group(2)}？", s, v, tuple(vals_))


_UNIT = re.compile(
    r"^(?:约|近|超过|超)?[0-9０-９.．]+([万亿千百]*(?:吨|元|公里|人次|人|户|家|台|只|辆|项|座|所|条|起|艘次|艘|亩|公顷|千瓦|平方米|张|套|件))"
    r"(?:左右|以上|多|余)?$"
)
"""A value with a unit of its own (the probe's short list of units)."""


def with_units(found: Iterator[Probe]) -> Iterator[Probe]:
    """Each probe, and for a value with a unit of its own (万吨, 亿人次; not a rate or a multiple) the same question
    asked in that unit ("粮食产量是多少万吨？"), as pattern ``…/unit``."""
    for p in found:
        yield p
        value = re.sub(
            r"(?<=[0-9０-９万亿千百])[多余](?=[万亿千百\u4e00-\u9fff])", "", p.sentence[p.want[0] : p.want[1]]
        )
        m = _UNIT.match(value)
        if m and p.question.endswith("多少？"):
            q = p.question[:-4] + "多少？" if p.question.endswith("是多少？") else p.question
            yield Probe(p.pattern + "/unit", q[:-1] + m.group(1) + "？", p.sentence, p.want, p.others)


def _sentences(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"\s*\n\s*", "", text)
    yield from split_sentences(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/work/libsrc"))
    ap.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[1] / "seeds")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many questions (0: all)")
    ap.add_argument("--pattern", default="", help="only this pattern")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the WRONG ones (and with -vv the none ones)")
    ap.add_argument("--none", action="store_true", help="print the none ones too")
    ap.add_argument("--dump", type=Path, help="write each question's verdict here (one tab-separated line each)")
    args = ap.parse_args()
    init_jieba()
    files = sorted(args.corpus.glob("**/*.txt")) + sorted(args.seeds.glob("**/*.txt"))
    counts: Counter[str] = Counter()
    by_pattern: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: dict[str, list[str]] = defaultdict(list)
    nones: dict[str, list[str]] = defaultdict(list)
    sentences = 0
    verdicts: list[str] = []
    for f in files:
        for s in _sentences(f):
            found = list(with_units(probes(s)))
            if args.pattern:
                found = [p for p in found if p.pattern == args.pattern]
            if not found:
                continue
            sentences += 1
            for p in found:
                q = understand(p.question)
                got = support(q.asked, p.sentence)
                if got is None:
                    verdict = "none"
                    nones[p.pattern].append(f"{p.question} | want {s[p.want[0] : p.want[1]]} | {f.name}: {s}")
                elif p.want[0] <= got.start < p.want[1] or got.start <= p.want[0] < got.start + len(got.value):
                    verdict = "right"
                else:
                    other = any(x <= got.start < y for x, y in p.others)
                    verdict = "WRONG"
                    kind = "other-item" if other else "other"
                    counts[f"WRONG {kind}"] += 1
                    wrong[f"{p.pattern} / {kind}"].append(
                        f"{p.question} | want {s[p.want[0] : p.want[1]]} | got {got.value} | {f.name}: {s}"
                    )
                counts[verdict] += 1
                verdicts.append(f"{verdict}\t{p.pattern}\t{p.question}\t{f.name}\t{s}")
                by_pattern[p.pattern][verdict] += 1
                if args.limit and sum(counts[k] for k in ("right", "none", "WRONG")) >= args.limit:
                    break
    if args.dump:
        args.dump.write_text("\n".join(verdicts) + "\n", encoding="utf-8")
    total = counts["right"] + counts["none"] + counts["WRONG"]
    print(f"reports {len(files)}, sentences probed {sentences}, questions {total}: right {counts['right']}, "
          f"none {counts['none']}, WRONG {counts['WRONG']} (other item {counts['WRONG other-item']}, "
          f"other quantity {counts['WRONG other']})")  # fmt: skip
    for pat, c in sorted(by_pattern.items()):
        print(f"  {pat}: {sum(c.values())} questions — right {c['right']}, none {c['none']}, WRONG {c['WRONG']}")
    if args.verbose:
        for key, rows in sorted(wrong.items()):
            print(f"\n## WRONG {key} ({len(rows)})")
            for r in rows:
                print("  - " + r)
    if args.none:
        for key, rows in sorted(nones.items()):
            print(f"\n## none {key} ({len(rows)})")
            for r in rows:
                print("  - " + r)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
