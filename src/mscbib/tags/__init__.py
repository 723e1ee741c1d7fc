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

from ..model import Provenance, Record, TagSource
from ..text import clean_text

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

#: How many texts a vocabulary remembers what it found in (:meth:`Vocabulary.find`) before it starts afresh.
_FOUND_MEMO = 50_000


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
        #: a word → the terms it may start whose first word it matches (:meth:`_starting`), remembered: titles and
        #: abstracts repeat words
        self._memo: dict[str, tuple[_Term, ...]] = {}
        #: a word → the forms it matches a term's word by (:meth:`_forms_of`), for a phrase's later words
        self._forms: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]] = {}
        #: a text → what :meth:`find` found in it: cited works and keywords repeat across a library
        self._found: dict[str, tuple[tuple[str, str], ...]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}

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
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _FOUND_MEMO:  # bounded: a huge input does not keep every text it had
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[tuple[str, str]]:
        # most words start no term: the words alone first, their places in the text only once one matches
        words = _WORD.findall(text)
        spans: list[tuple[int, int]] | None = None
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        memo, known = self._memo.get, self._forms.get
        count = len(words)
        i = 0
        while i < count:
            cands = memo(words[i])
            if cands is None:
                cands = self._memo[words[i]] = self._starting(words[i])
            if not cands:
                i += 1
                continue
            hit = None
            for cand in cands:  # its first word already matches (:meth:`_starting`)
                n = len(cand.words)
                if i + n > count:
                    continue
                for j in range(1, n):
                    forms = known(words[i + j]) or self._forms_of(words[i + j])
                    if cand.words[j] not in forms[2 * (j == n - 1) + (not cand.exact_case[j])]:
                        break
                else:
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

    def _starting(self, word: str) -> tuple[_Term, ...]:
        """The terms ``word`` may start (:meth:`_candidates`, longest first) whose first word it matches."""
        out = []
        for cand in self._candidates(word):
            n = len(cand.words)
            if self._word_matches(cand.words[0], cand.exact_case[0], word, n == 1):
                out.append(cand)
        return tuple(out)

    def _forms_of(self, word: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
        """What ``word`` matches a term's word by, as :meth:`_word_matches` decides it: (not the phrase's last word:
        exact case, normalised; its last word, plurals too: exact case, normalised)."""
        forms = self._forms.get(word)
        if forms is None:
            last = [word]
            if word.endswith("es") and len(word) > 3:
                last.append(word[:-2])
            if word.endswith("s") and len(word) > 2:
                last.append(word[:-1])
            forms = self._forms[word] = (
                frozenset((word,)),
                frozenset((self._norm(word),)),
                frozenset(last),
                frozenset(self._norm(f) for f in last),
            )
        return forms

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
        known = self._ancestors.get(topic_id)
        if known is not None:
            return list(known)
        out: list[str] = []
        stack = list(self.topics[topic_id].parents)
        while stack:
            p = stack.pop(0)
            if p not in out and p != topic_id:
                out.append(p)
                stack.extend(self.topics[p].parents)
        self._ancestors[topic_id] = tuple(out)
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
        text = record.get(name)
        if text:
            for tid, matched in vocabulary.find(text):
                add_topic(tid, "vocabulary", name, matched, where(name))
    keywords, mesh = record.get("keywords"), record.get("mesh")
    if not (keywords or mesh or subjects):  # most cited works: a title at most
        return out
    given: list[tuple[str, str, str | None]] = [(k, "keywords", where("keywords")) for k in keywords or ()]
    given += [(m, "mesh", where("mesh")) for m in mesh or ()]
    given += [(s, "crossref-subject", subject_source) for s in subjects]
    for raw, origin, at in given:
        kw = normalize_tag(str(raw))
        if not kw:
            continue
        topic = vocabulary.topic_of_phrase(kw)
        if origin == "keywords":  # the author's keyword is kept as printed; a topic it names is added beside it
            out.append(TagSource(kw, origin, "keywords", kw, at))
        if topic:
            add_topic(topic, origin, "keywords" if origin == "keywords" else origin, kw, at)
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
    record's Crossref work (:class:`mscbib.services.crossref.mapping.Work`, or its JSON), for its subjects."""
    subjects: list[str] = []
    doi = None
    if work is not None:  # a cited work has none
        from ..services.crossref.mapping import work_of

        work = work_of(work)
        subjects = list(work.subjects) if work is not None else []
        doi = work.doi if work is not None else None
    record.tags = tag_record(record, vocabulary, subjects, f"crossref {doi}" if doi else None)
    tags = unique_tags(record.tags)
    if tags:
        record.set("keywords", tags, Provenance(origin="tags", detail=vocabulary.source))
    return tags
