"""Score a store export of one article against its hand-written gold (tests/corpus/dev/README.md).

Actors match one-to-one in gold order when a form (name or alias, folded) is shared, or when one name of two
words or more contains the other as whole words. Events match on the exact date string plus a keyword in the
summary or evidence; statements on the speaker plus a keyword in the text. Extracted actors that only match a
gold ``neutral`` name are not counted; an extracted event on a date no gold event has is a false positive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]
_DEFAULT_NEUTRAL = ("United Nations", "UN")


def fold(text: str | None) -> str:
    """Lower case, no accents, no possessive, no leading "the", hyphens as spaces, no punctuation."""
    if not text:
        return ""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-"})).lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[-‐]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def _forms(actor: Record) -> set[str]:
    return {fold(f) for f in [actor.get("name"), *(actor.get("aliases") or [])]} - {""}


def _has_words(big: str, small: str) -> bool:
    return bool(small) and f" {small} " in f" {big} "


def same_actor(extracted: Record, gold: Record) -> bool:
    if _forms(extracted) & _forms(gold):
        return True
    a, b = fold(extracted.get("name")), fold(gold.get("name"))
    return len(a.split()) >= 2 and len(b.split()) >= 2 and (_has_words(a, b) or _has_words(b, a))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Figures:
    precision: float
    recall: float
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass
class ActorFigures(Figures):
    must_recall: float = 1.0
    roles_right: int = 0
    roles_total: int = 0
    role_misses: list[str] = field(default_factory=list)

    @property
    def role_accuracy(self) -> float:
        return self.roles_right / self.roles_total if self.roles_total else 1.0


@dataclass
class Score:
    actors: ActorFigures
    events: Figures
    statements: Figures


def score(export: dict[str, list[Record]], gold: Record) -> Score:
    return Score(
        _score_actors(export.get("actors", []), gold),
        _score_events(export.get("events", []), gold.get("events", [])),
        _score_statements(export.get("quotes", []), gold),
    )


def _score_actors(extracted: list[Record], gold: Record) -> ActorFigures:
    gold_actors: list[Record] = gold["actors"]
    neutral = [fold(n) for n in gold.get("neutral", _DEFAULT_NEUTRAL)]
    matched: dict[int, int] = {}
    for g, gold_actor in enumerate(gold_actors):
        for e, actor in enumerate(extracted):
            if e not in matched.values() and same_actor(actor, gold_actor):
                matched[g] = e
                break
    wrong, neutral_hits = [], 0
    for e, actor in enumerate(extracted):
        if e in matched.values():
            continue
        name = fold(actor.get("name"))
        if any(same_actor(actor, g) for g in gold_actors):
            wrong.append(f"duplicate {actor.get('name')}")
        elif name in neutral or any(_has_words(name, n) for n in neutral if " " in n):
            neutral_hits += 1
        else:
            wrong.append(str(actor.get("name")))
    must = [g for g, a in enumerate(gold_actors) if a.get("tier", "must") == "must"]
    roles_right, role_misses = 0, []
    persons = [g for g, a in enumerate(gold_actors) if a.get("kind") == "person" and a.get("role_keywords")]
    for g in persons:
        role = fold(extracted[matched[g]].get("role")) if g in matched else None
        if role is not None and all(fold(k) in role for k in gold_actors[g]["role_keywords"]):
            roles_right += 1
        else:
            role_misses.append(f"{gold_actors[g]['name']}: {role!r}")
    counted = len(extracted) - neutral_hits
    return ActorFigures(
        precision=len(matched) / counted if counted else 0.0,
        recall=len(matched) / len(gold_actors) if gold_actors else 0.0,
        misses=[a["name"] for g, a in enumerate(gold_actors) if g not in matched],
        wrong=wrong,
        must_recall=sum(g in matched for g in must) / len(must) if must else 1.0,
        roles_right=roles_right,
        roles_total=len(persons),
        role_misses=role_misses,
    )


def _keyword_hit(text: str, keywords: list[str]) -> bool:
    folded = fold(text)
    return any(fold(k) in folded for k in keywords)


def _score_events(extracted: list[Record], gold_events: list[Record]) -> Figures:
    used: set[int] = set()
    misses = []
    for gold in gold_events:
        for e, event in enumerate(extracted):
            text = f"{event.get('summary') or ''} {event.get('evidence') or ''}"
            if e not in used and event.get("date") == gold["date"] and _keyword_hit(text, gold["keywords"]):
                used.add(e)
                break
        else:
            misses.append(f"{gold['date']} {gold.get('summary', '')[:70]}")
    gold_dates = {g["date"] for g in gold_events}
    wrong = [
        f"{event.get('date')} {(event.get('summary') or '')[:70]}"
        for e, event in enumerate(extracted)
        if e not in used and event.get("date") not in gold_dates
    ]
    hits = len(used)
    return Figures(
        precision=hits / (hits + len(wrong)) if hits + len(wrong) else 0.0,
        recall=hits / len(gold_events) if gold_events else 0.0,
        misses=misses,
        wrong=wrong,
    )


def _score_statements(extracted: list[Record], gold: Record) -> Figures:
    by_name = {fold(a["name"]): a for a in gold["actors"]}
    used: set[int] = set()
    misses = []
    for statement in gold.get("quotes", []):
        speaker = by_name.get(fold(statement["speaker"]), {"name": statement["speaker"]})
        for q, quote in enumerate(extracted):
            if (
                q not in used
                and same_actor({"name": quote.get("speaker") or ""}, speaker)
                and _keyword_hit(quote.get("text") or "", statement["keywords"])
            ):
                used.add(q)
                break
        else:
            misses.append(f"{statement['speaker']}: {statement['text'][:70]}")
    wrong = [
        f"{q.get('speaker')}: {(q.get('text') or '')[:70]}" for i, q in enumerate(extracted) if i not in used
    ]
    golds = gold.get("quotes", [])
    return Figures(
        precision=len(used) / len(extracted) if extracted else (0.0 if golds else 1.0),
        recall=len(used) / len(golds) if golds else 1.0,
        misses=misses,
        wrong=wrong,
    )
