"""The acceptance questions: every case of ``tests/corpus/dev/questions.json`` asked through the stand-in.

Each article is ingested alone into its own store and a bot is started on it; its cases run as a user
would type them (the ``doc`` field of the file is the specification; this module implements it). The
answer text (content and embeds, following "Next" up to :data:`MAX_PAGES` pages while expectations are
unmet) is lower-cased, accents and markdown stripped and whitespace collapsed before it is checked.

``python -m bench questions [--article NAME]`` prints the pass rate per kind and per article and each
failing case with a one-line reason, and writes a section to ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "dev"
DOC = REPO / "docs" / "benchmarks.md"
MAX_PAGES = 4
NEXT_BUTTON = "pager:next"
# Option names of the cases ("spec names") that the bot registers under another name.
OPTION_NAMES: dict[tuple[str, str], str] = {}

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ANY_DATE = re.compile(
    r"(?<!\d)\d{4}-\d{2}(?:-\d{2})?(?!\d)"
    rf"|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)? {_MONTH_WORD},? \d{{4}}(?!\d)"
    rf"|\b{_MONTH_WORD} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}(?!\d)|\b{_MONTH_WORD} \d{{4}}(?!\d)"
    r"|(?<![\d,.])(?:1[89]|20)\d{2}(?![\d,])"
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::[tTdDfFR])?>")
_MARKDOWN = re.compile(r"[*_`~|\\]|^>+ ?|\|\|", re.MULTILINE)


# -- what the answer says ------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, accents and markdown stripped, whitespace collapsed within each line."""
    text = _TIMESTAMP.sub(lambda m: _timestamp_text(int(m[1])), text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _MARKDOWN.sub("", plain).replace("’", "'").replace("‘", "'").replace("‐", "-")  # NFKD: ‑ → ‐
    lines = (" ".join(line.split()) for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def _timestamp_text(seconds: int) -> str:
    day = dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    return day.isoformat()


def renderings(entry: str) -> list[str]:
    """The ways a test can read an ISO date ("2019-04-30" → "30 apr 2019", "april 30, 2019", …); any
    other entry stands for itself."""
    match = _ISO.match(entry)
    if match is None:
        return [normalize(entry)]
    year, month, day = match[1], match[2], match[3]
    if month is None:
        return [year]
    long = _MONTHS[int(month) - 1]
    names = (long, long[:3]) + (("sept",) if long == "september" else ())
    if day is None:
        return [f"{year}-{month}"] + [f"{name} {year}" for name in names]
    number = str(int(day))
    forms = [f"{year}-{month}-{day}"]
    for name in names:
        forms += [f"{number} {name} {year}", f"{name} {number}, {year}", f"{name} {number} {year}"]
    return forms


def contains(text: str, entry: str) -> bool:
    """``entry`` in ``text``; an entry that begins or ends with a digit only at a digit boundary."""
    for form in renderings(entry):
        pattern = re.escape(form)
        if form[:1].isdigit():
            pattern = r"(?<!\d)" + pattern
        if form[-1:].isdigit():
            pattern += r"(?!\d)"
        if re.search(pattern, text):
            return True
    return False


def _dated_lines(lines: list[str]) -> set[int]:
    """Lines carrying a date, and the line after a date that stands alone on its line."""
    dated: set[int] = set()
    for number, line in enumerate(lines):
        if _ANY_DATE.search(line):
            dated.add(number)
            if not re.search(r"\w", _ANY_DATE.sub("", line)) and number + 1 < len(lines):
                dated.add(number + 1)
    return dated


def check(case: dict[str, Any], text: str, today: dt.date) -> str | None:
    """None when the answer ``text`` (normalised) meets the case, else the first reason it does not."""

    def fill(entry: str) -> str:
        return entry.replace("{today}", today.isoformat()).replace(
            "{yesterday}", (today - dt.timedelta(days=1)).isoformat()
        )

    for entry in case.get("expect_all", []):
        if not contains(text, fill(entry)):
            return f"missing {entry!r}"
    for group in case.get("expect_any", []):
        if not any(contains(text, fill(entry)) for entry in group):
            return f"none of {group!r}"
    for entry in case.get("expect_none", []):
        if contains(text, fill(entry)):
            return f"says {entry!r}"
    lines = text.splitlines()
    for dated in case.get("expect_dated", []):
        near = [normalize(word) for word in dated["near"]]
        if not any(
            any(contains(line, form) for form in dated["date"])
            and any(word in " ".join(lines[number : number + 2]) for word in near)
            for number, line in enumerate(lines)
        ):
            return f"no line dated {dated['date'][0]} near {dated['near'][:3]!r}"
    dated_lines = _dated_lines(lines)
    for entry in case.get("expect_undated", []):
        if any(contains(lines[number], entry) for number in dated_lines):
            return f"dates {entry!r}"
    return None


def message_text(message: Any) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [(embed.get("author") or {}).get("name", ""), embed.get("title", "")]
        parts.append(embed.get("description", ""))
        for field in embed.get("fields", []):
            parts += [field.get("name", ""), field.get("value", "")]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(part for part in parts if part)


def choice_matches(choice: dict[str, Any], expect: str, also: Iterable[str]) -> bool:
    """A choice naming the canonical name, or equal to one of its aliases (a " (…)" tail ignored)."""
    wanted = normalize(expect)
    aliases = {normalize(alias) for alias in also}
    for label in (str(choice.get("name", "")), str(choice.get("value", ""))):
        plain = normalize(label)
        if wanted in plain:
            return True
        head = re.split(r" \(| - |, ", plain)[0]
        if head in aliases or plain in aliases:
            return True
    return False


# -- asking ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    case: dict[str, Any]
    why: str | None  # None: passed

    @property
    def passed(self) -> bool:
        return self.why is None


def load_cases(corpus: Path = CORPUS) -> list[dict[str, Any]]:
    return json.loads((corpus / "questions.json").read_text(encoding="utf-8"))["cases"]


async def _ask_lookup(standin: Any, case: dict[str, Any]) -> str | None:
    option = case["option"]
    result = await standin.autocomplete(case["autocomplete"], {option: case["value"]}, option)
    choices = (result.choices or [])[: case["top"]]
    if any(choice_matches(choice, case["expect"], case.get("also", [])) for choice in choices):
        return None
    shown = ", ".join(str(choice.get("name")) for choice in choices) or "no choices"
    return f"{case['value']!r} → {shown}"


async def _ask_command(standin: Any, case: dict[str, Any], today: dt.date) -> str | None:
    command = case["command"]
    options = {OPTION_NAMES.get((command, name), name): value for name, value in case["options"].items()}
    result = await standin.slash(command, options)
    if result.callback_type is None:
        return "no answer"
    if result.rejections:
        return f"rejected: {result.rejections[0].body}"[:200]
    texts = [message_text(message) for message in result.all_messages()]
    why = check(case, normalize("\n".join(texts)), today)
    pages = 1
    while why is not None and pages < MAX_PAGES and result.message is not None:
        button = result.message.custom_ids().get(NEXT_BUTTON)
        if button is None or button.get("disabled"):
            break
        await standin.click(result.message, NEXT_BUTTON)
        texts.append(message_text(result.message))
        pages += 1
        why = check(case, normalize("\n".join(texts)), today)
    if why is not None:
        answer = " ".join(normalize(texts[0]).split())[:90]
        why = f"{why}; answer: {answer!r}"
    return why


async def ask_article(article: Path, cases: Sequence[dict[str, Any]], today: dt.date) -> list[Outcome]:
    """Run ``cases`` against a bot whose store holds ``article`` alone."""
    from bot.client import BriefingBot
    from bot.ingest import ingest
    from bot.standin import StandIn
    from bot.standin.testing import bot_settings, build_test_guild, run_bot

    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store.db"
        await asyncio.to_thread(ingest, [article], store)
        standin = StandIn(heartbeat_interval=5.0, response_timeout=10.0, settle=0.0)
        build_test_guild(standin)
        async with standin:
            bot = BriefingBot(bot_settings(standin, store, article.parent))
            async with run_bot(bot, standin, timeout=30):
                for case in cases:
                    try:
                        if case["kind"] == "lookup":
                            why = await _ask_lookup(standin, case)
                        else:
                            why = await _ask_command(standin, case, today)
                    except Exception as error:  # a case that breaks the harness is a failed case
                        why = f"{type(error).__name__}: {error}"[:200]
                    outcomes.append(Outcome(case, why))
    return outcomes


async def ask_all(corpus: Path = CORPUS, articles: Sequence[str] = ()) -> list[Outcome]:
    """Every case of the corpus (or of the named articles), one bot per article."""
    today = dt.datetime.now(dt.UTC).date()
    by_article: dict[str, list[dict[str, Any]]] = {}
    for case in load_cases(corpus):
        by_article.setdefault(case["article"], []).append(case)
    outcomes: list[Outcome] = []
    for name, cases in by_article.items():
        if articles and Path(name).stem not in articles and name not in articles:
            continue
        outcomes += await ask_article(corpus / name, cases, today)
    return outcomes


# -- reporting ---------------------------------------------------------------------------------------------


def pass_rate(outcomes: Sequence[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0


def _rates(outcomes: Sequence[Outcome], key: str) -> list[tuple[str, int, int]]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(Path(outcome.case[key]).stem, []).append(outcome)
    return [(name, sum(o.passed for o in group), len(group)) for name, group in groups.items()]


def failures(outcomes: Sequence[Outcome]) -> list[str]:
    return [f"{o.case['id']}: {o.why}" for o in outcomes if not o.passed]


def report(outcomes: Sequence[Outcome], seconds: float) -> str:
    passed = sum(o.passed for o in outcomes)
    rows = ["| group | passed | cases | rate |", "|---|---:|---:|---:|"]
    for key in ("kind", "article"):
        rows += [f"| {name} | {ok} | {n} | {ok / n:.2f} |" for name, ok, n in _rates(outcomes, key)]
    return "\n".join(
        [
            "## Questions",
            "",
            f"`python -m bench questions`, {time.strftime('%Y-%m-%d')}: the {len(outcomes)} cases of "
            "`tests/corpus/dev/questions.json` through the stand-in, one bot per article "
            f"({seconds:.0f} s). **Pass rate {pass_rate(outcomes):.2f}** ({passed}/{len(outcomes)}).",
            "",
            *rows,
            "",
            "Failing cases:",
            "",
            *(f"- `{line}`" for line in failures(outcomes)),
            "",
        ]
    )


def main(argv: Sequence[str]) -> int:
    from bench.ingest import write_section

    parser = argparse.ArgumentParser(prog="python -m bench questions")
    parser.add_argument("--article", action="append", default=[], help="only this article (repeatable)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    outcomes = asyncio.run(ask_all(CORPUS, args.article))
    section = report(outcomes, time.perf_counter() - started)
    if not args.article and not args.no_write:
        write_section(DOC, section)
    print(section)
    return 0
