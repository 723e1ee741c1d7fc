"""Topic tags: what each entry is about, each tag kept with why it was applied.

Sources of tags, each recorded as a :class:`~mscbib.model.TagSource`:

* the keywords the input gave (a page's ``Keywords:`` line, RIS/MEDLINE/BibTeX keywords);
* MeSH headings (a record's ``mesh`` field, from MEDLINE input);
* Crossref's ``subject`` list for the work;
* a **topic vocabulary** (a TOML file; :func:`load_vocabulary`) applied to the title, the abstract and the
  keywords. A vocabulary term applies only on a whole-word / whole-phrase match, never on a substring.

The author's own keywords are kept as printed (only spaces folded and a trailing full stop dropped); the
vocabulary's tags are added beside them: a keyword that names a topic (``homing``) stays, and the topic's
preferred tag (``homing and migration``) is added too. MeSH headings and Crossref subjects that name a topic
are written as that topic's tag. ``keywords`` holds them all, deduplicated regardless of case (the author's
spelling wins) and sorted, so the output is deterministic.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .model import Provenance, Record, TagSource
from .text import clean_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Topic",
    "Vocabulary",
    "VocabularyError",
    "load_vocabulary",
    "default_vocabulary_path",
    "LOCAL_VOCABULARY",
    "tag_record",
    "apply_tags",
    "normalize_tag",
]

#: A vocabulary file in the current folder with this name is used instead of the default.
LOCAL_VOCABULARY = "mscbib-vocabulary.toml"

#: Words are runs of letters and digits (Greek included: ``TGFβ1`` is one word); everything else separates.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; the message names the file and the topic."""


@dataclass(frozen=True)
class Topic:
    id: str
    tag: str
    synonyms: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]  # normalised words
    exact_case: tuple[bool, ...]  # per word: match case exactly (abbreviations)
    topic: str
    text: str  # as written in the vocabulary


def _is_abbreviation(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) or (len(word) > 1 and word.isupper())


@dataclass
class Vocabulary:
    """Topics and their terms, compiled for whole-word matching."""

    topics: dict[str, Topic]
    spelling: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        self._spelling = {k.lower(): v.lower() for k, v in self.spelling.items()}
        self._by_first: dict[str, list[_Term]] = {}
        self._by_phrase: dict[tuple[str, ...], str] = {}
        for topic in self.topics.values():
            for text in (topic.tag, *topic.synonyms):
                raw = _WORD.findall(text)
                if not raw:
                    continue
                exact = tuple(_is_abbreviation(w) for w in raw)
                words = tuple(w if e else self._norm(w) for w, e in zip(raw, exact))
                term = _Term(words, exact, topic.id, text)
                self._by_first.setdefault(words[0].lower(), []).append(term)
                self._by_phrase.setdefault(tuple(self._norm(w) for w in raw), topic.id)
        for terms in self._by_first.values():
            terms.sort(key=lambda t: -len(t.words))  # the longest phrase wins
        #: a word → the terms it may start (:meth:`_candidates`), remembered: titles and abstracts repeat words
        self._memo: dict[str, list[_Term]] = {}

    # -- normalising ----------------------------------------------------------------------------
    def _norm(self, word: str) -> str:
        w = word.lower()
        return self._spelling.get(w, w)

    def _word_matches(self, term_word: str, exact: bool, text_word: str, last: bool) -> bool:
        forms = [text_word]
        if last:  # plurals: a final "s" or "es" on the last word of the phrase
            if text_word.endswith("es") and len(text_word) > 3:
                forms.append(text_word[:-2])
            if text_word.endswith("s") and len(text_word) > 2:
                forms.append(text_word[:-1])
        for f in forms:
            if exact and f == term_word:
                return True
            if not exact and self._norm(f) == term_word:
                return True
        return False

    # -- matching -------------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[str, str]]:
        """The topics a text names: ``[(topic id, matched text)]``, in order of appearance, each topic once."""
        if not text:
            return []
        # most words start no term: the words alone first, their places in the text only once one matches
        words = _WORD.findall(text)
        spans: list[tuple[int, int]] | None = None
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        memo = self._memo
        i = 0
        while i < len(words):
            cands = memo.get(words[i])
            if cands is None:
                cands = memo[words[i]] = self._candidates(words[i])
            hit = None
            for cand in cands:
                n = len(cand.words)
                if i + n > len(words):
                    continue
                if all(
                    self._word_matches(cand.words[j], cand.exact_case[j], words[i + j], j == n - 1) for j in range(n)
                ):
                    hit = cand
                    break
            if hit is None:
                i += 1
                continue
            n = len(hit.words)
            if hit.topic not in seen:
                seen.add(hit.topic)
                if spans is None:
                    spans = [m.span() for m in _WORD.finditer(text)]
                found.append((hit.topic, text[spans[i][0] : spans[i + n - 1][1]]))
            i += n
        return found

    def _candidates(self, word: str) -> list[_Term]:
        keys = {word.lower(), self._norm(word)}
        low = word.lower()  # a one-word term in the plural: "MSCs", "exosomes"
        if low.endswith("s") and len(low) > 2:
            keys |= {low[:-1], self._norm(low[:-1])}
        if low.endswith("es") and len(low) > 3:
            keys |= {low[:-2], self._norm(low[:-2])}
        out: list[_Term] = []
        for k in keys:
            out.extend(self._by_first.get(k, []))
        return sorted(out, key=lambda t: -len(t.words))

    def topic_of_phrase(self, phrase: str) -> str | None:
        """The topic a whole phrase (a keyword) names exactly, if any (plural or spelling variants allowed)."""
        found = self.find(phrase)
        if len(found) == 1 and comparable_words(found[0][1]) == comparable_words(phrase):
            return found[0][0]
        return None

    def ancestors(self, topic_id: str) -> list[str]:
        out: list[str] = []
        stack = list(self.topics[topic_id].parents)
        while stack:
            p = stack.pop(0)
            if p not in out and p != topic_id:
                out.append(p)
                stack.extend(self.topics[p].parents)
        return out


def comparable_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _tuple_of_str(value: Any, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"{where}: {what} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_vocabulary(data: dict[str, Any], source: str) -> Vocabulary:
    topics_raw = data.get("topics")
    if not isinstance(topics_raw, dict) or not topics_raw:
        raise VocabularyError(f"{source}: no [topics.<id>] tables")
    topics: dict[str, Topic] = {}
    for tid, t in topics_raw.items():
        where = f"{source}: [topics.{tid}]"
        if not isinstance(t, dict) or not isinstance(t.get("tag"), str) or not t["tag"].strip():
            raise VocabularyError(f'{where}: needs tag = "..."')
        unknown = set(t) - {"tag", "synonyms", "parents"}
        if unknown:
            raise VocabularyError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        topics[tid] = Topic(
            tid,
            clean_text(t["tag"]),
            _tuple_of_str(t.get("synonyms"), "synonyms", where),
            _tuple_of_str(t.get("parents"), "parents", where),
        )
    for topic in topics.values():
        for p in topic.parents:
            if p not in topics:
                raise VocabularyError(f"{source}: [topics.{topic.id}]: parent {p!r} is not a topic")
    spelling = data.get("spelling") or {}
    if not isinstance(spelling, dict) or not all(isinstance(v, str) for v in spelling.values()):
        raise VocabularyError(f"{source}: [spelling] must map words to words")
    return Vocabulary(topics, dict(spelling), source)


def default_vocabulary_path() -> str:
    return str(resources.files("mscbib") / "data" / "vocabulary.toml")


def load_vocabulary(path: str | os.PathLike[str] | None = None) -> Vocabulary:
    """Load ``path``; else ``./mscbib-vocabulary.toml`` when present; else the default shipped with mscbib."""
    if path is None:
        path = LOCAL_VOCABULARY if Path(LOCAL_VOCABULARY).is_file() else None
    if path is None:
        text = (resources.files("mscbib") / "data" / "vocabulary.toml").read_text(encoding="utf-8")
        source = "mscbib default vocabulary"
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise VocabularyError(f"{source}: cannot be read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not valid TOML: {exc}") from exc
    return parse_vocabulary(data, source)


def normalize_tag(tag: str) -> str:
    """Spaces folded, trailing full stops and separators dropped: ``' tumor  modulation.'`` → ``'tumor modulation'``."""
    return clean_text(tag).strip(" .;,")


#: Record fields the vocabulary is applied to, in this order.
TEXT_FIELDS = ("title", "abstract")


def tag_record(
    record: Record, vocabulary: Vocabulary, subjects: Iterable[str] = (), subject_source: str | None = None
) -> list[TagSource]:
    """Every tag for ``record`` with its reason, in the order found (not yet deduplicated)."""
    out: list[TagSource] = []

    def where(name: str) -> str | None:
        src = record.origin_of(name)
        return src.where() if src else None

    def add_topic(tid: str, origin: str, field_name: str | None, matched: str, at: str | None) -> None:
        tag = vocabulary.topics[tid].tag
        out.append(TagSource(tag, origin, field_name, matched, at))
        for parent in vocabulary.ancestors(tid):
            out.append(TagSource(vocabulary.topics[parent].tag, "parent", field_name, tag, at))

    for name in TEXT_FIELDS:
        for tid, matched in vocabulary.find(record.get(name) or ""):
            add_topic(tid, "vocabulary", name, matched, where(name))
    given: list[tuple[str, str, str | None]] = [(k, "keywords", where("keywords")) for k in record.get("keywords", [])]
    given += [(m, "mesh", where("mesh")) for m in record.get("mesh", [])]
    given += [(s, "crossref-subject", subject_source) for s in subjects]
    for raw, origin, at in given:
        kw = normalize_tag(str(raw))
        if not kw:
            continue
        tid = vocabulary.topic_of_phrase(kw)
        if origin == "keywords":  # the author's keyword is kept as printed; a topic it names is added beside it
            out.append(TagSource(kw, origin, "keywords", kw, at))
        if tid:
            add_topic(tid, origin, "keywords" if origin == "keywords" else origin, kw, at)
            continue
        if origin != "keywords":
            out.append(TagSource(kw, origin, origin, kw, at))
        for tid, matched in vocabulary.find(kw):  # a keyword that contains a term: the term's topic too
            add_topic(tid, "vocabulary", "keywords", matched, at)
    return out


def unique_tags(sources: Iterable[TagSource]) -> list[str]:
    """Deduplicated regardless of case and sorted case-insensitively. The author's keywords' spelling wins,
    then the first found."""
    sources = list(sources)
    seen: dict[str, str] = {}
    for s in sources:
        if s.origin == "keywords" and s.tag == s.matched:
            seen.setdefault(s.tag.casefold(), s.tag)
    for s in sources:
        seen.setdefault(s.tag.casefold(), s.tag)
    return sorted(seen.values(), key=lambda t: (t.casefold(), t))


def apply_tags(record: Record, vocabulary: Vocabulary, work: Any = None) -> list[str]:
    """Tag ``record`` in place: ``record.tags`` gets the reasons, ``keywords`` the sorted unique tags. ``work``: the
    record's Crossref work (:class:`mscbib.crossref.mapping.Work`, or its JSON), for its subjects."""
    from .crossref.mapping import work_of

    work = work_of(work)
    subjects = list(work.subjects) if work is not None else []
    doi = work.doi if work is not None else None
    record.tags = tag_record(record, vocabulary, subjects, f"crossref {doi}" if doi else None)
    tags = unique_tags(record.tags)
    if tags:
        record.set("keywords", tags, Provenance(origin="tags", detail=vocabulary.source))
    return tags
