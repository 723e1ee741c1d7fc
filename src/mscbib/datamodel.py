"""The BibTeX/BibLaTeX data model and the one type table: facts the readers, the writers and the checks read.

Nothing here does I/O or imports another mscbib stage; every table is data, and the few functions only look
values up in them.

* :data:`KINDS` — our record kind (Record ``type``: Crossref's work-type vocabulary, plus ``software``, which
  Crossref has no type for) → the type of each format we read and write (BibTeX, BibLaTeX, RIS, CSL, Zotero).
  The readers' tables (:data:`RIS_TYPES`, :data:`CSL_TYPES`, :data:`BIBTEX_TYPES`) are the other direction; a
  kind written in a format and read back is the same kind (``tests/test_datamodel.py``); where classic BibTeX
  has no type for it (``@misc``: a dataset, a preprint), the ``type`` field of :data:`MISC_LABELS` says it.
* :data:`ENTRY_TYPES`, :data:`FIELD_ORDER`, :data:`BIBLATEX_FIELDS` — what the BibTeX writer writes.
* :data:`REQUIRED`, :data:`BIBTEX_FIELD_NAMES`, :data:`BIBLATEX_FIELD_NAMES` … — what the two data models
  require and allow, for ``mscbib build``'s validation and ``mscbib check`` alike (REQ001, FLD002).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

__all__ = [
    "KINDS",
    "FORMATS",
    "record_kind",
    "type_in",
    "kind_of",
    "MISC_LABELS",
    "misc_kind",
    "misc_label",
    "kind_entry_type",
    "RIS_TYPES",
    "CSL_TYPES",
    "BIBTEX_TYPES",
    "ZOTERO_TYPES",
    "ENTRY_TYPES",
    "FIELD_ORDER",
    "DIALECTS",
    "BIBLATEX_FIELDS",
    "REQUIRED",
    "missing_required",
    "required_message",
    "written_bibtex_fields",
    "BIBTEX_FIELD_NAMES",
    "BIBLATEX_FIELD_NAMES",
    "COMMON_EXTRA_FIELDS",
    "BIBLATEX_ONLY_FIELDS",
    "BIBLATEX_ONLY_TYPES",
    "NOT_FOR_TYPE",
]

# -- one type table for all formats, both ways ---------------------------------------------------------------
FORMATS = ("bibtex", "biblatex", "ris", "csl", "zotero")

#: Record kind → (BibTeX, BibLaTeX, RIS ``TY``, CSL type, Zotero item type). A kind not listed is written as
#: the record's fields suggest (:func:`record_kind`).
KINDS: dict[str, tuple[str, str, str, str, str]] = {
    "journal-article": ("article", "article", "JOUR", "article-journal", "journalArticle"),
    "book": ("book", "book", "BOOK", "book", "book"),
    "monograph": ("book", "book", "BOOK", "book", "book"),
    "edited-book": ("book", "book", "EDBOOK", "book", "book"),
    "reference-book": ("book", "book", "BOOK", "book", "book"),
    "book-chapter": ("incollection", "incollection", "CHAP", "chapter", "bookSection"),
    "book-section": ("incollection", "incollection", "CHAP", "chapter", "bookSection"),
    "book-part": ("incollection", "incollection", "CHAP", "chapter", "bookSection"),
    "reference-entry": ("incollection", "incollection", "CHAP", "entry-encyclopedia", "bookSection"),
    "proceedings-article": ("inproceedings", "inproceedings", "CONF", "paper-conference", "conferencePaper"),
    "proceedings": ("proceedings", "proceedings", "CONF", "book", "book"),
    "dissertation": ("phdthesis", "phdthesis", "THES", "thesis", "thesis"),
    "report": ("techreport", "techreport", "RPRT", "report", "report"),
    "standard": ("techreport", "techreport", "STAND", "standard", "report"),
    "posted-content": ("misc", "unpublished", "UNPB", "manuscript", "preprint"),
    "dataset": ("misc", "dataset", "DATA", "dataset", "dataset"),
    # Zotero's computerProgram: not among the item types mscbib fills yet (zotero/items.ITEM_FIELDS)
    "software": ("misc", "software", "COMP", "software", "document"),
    "other": ("misc", "misc", "GEN", "document", "document"),
}


def record_kind(record: Any) -> str:
    """The record's kind as the writers classify it: its ``type`` when :data:`KINDS` lists it, else a
    journal article when it names a journal, a book when it has an ISBN, else ``other``."""
    kind = (record.get("type") or "").strip().lower()
    if kind in KINDS:
        return kind
    if record.get("journal") or record.get("journal_abbrev"):
        return "journal-article"
    if record.get("isbn"):
        return "book"
    return "other"


def type_in(fmt: str, record: Any) -> str:
    """The record's type in ``fmt`` (one of :data:`FORMATS`). In classic BibTeX, a book with no publisher is a
    ``@misc`` (:data:`MISC_LABELS`' ``Book``): BibTeX's ``@book`` requires one (plain.bst: "empty publisher"), and a
    cited book's deposited reference gives none (the ``zotero`` dialect writes :func:`kind_entry_type`)."""
    kind = record_kind(record)
    written = KINDS[kind][FORMATS.index(fmt)]
    if fmt == "bibtex" and written == "book" and not record.get("publisher"):
        return "misc"
    return written


def kind_entry_type(record: Any) -> str:
    """The BibTeX entry type of the record's kind, whatever BibTeX's styles require: what the ``zotero`` dialect
    writes (Zotero's import reads a ``@book`` with no publisher as the book it is) and where the ``biblatex`` dialect
    puts a container (a book's series)."""
    return KINDS[record_kind(record)][0]


def misc_label(record: Any) -> str | None:
    """The ``type`` field of a record the BibTeX dialect writes as ``@misc`` (:data:`MISC_LABELS`): what it is,
    where BibTeX has no type for it; None for a work of no known kind."""
    kind = record_kind(record)
    if kind in MISC_LABELS:
        return MISC_LABELS[kind]
    return MISC_LABELS["book"] if KINDS[kind][0] == "book" else None


#: The kinds classic BibTeX has no entry type for (``@misc`` in :data:`KINDS`), and the ``type`` field the BibTeX
#: writer says each in. BibTeX's styles print no ``type`` of a ``@misc`` (plain, plainnat: no warning, measured by
#: ``benchmarks/consumers.py``), pandoc reads it as the CSL ``genre`` (its BibTeX reader gives ``@misc`` no CSL
#: type, whatever its fields), Zotero's import keeps it in Extra, and mscbib's BibTeX reader reads the kind back from
#: it (:func:`misc_kind`): a ``library.bib`` exported to BibLaTeX or CSL-JSON keeps its datasets and preprints. Why
#: not ``@unpublished`` for a preprint: BibTeX requires its ``note``, which Crossref does not give (never invented);
#: a book is ``@misc`` only where it has no publisher (:func:`type_in`).
MISC_LABELS = {"posted-content": "Posted content", "dataset": "Dataset", "software": "Software", "book": "Book"}
_MISC_KINDS = {label.lower(): kind for kind, label in MISC_LABELS.items()}


def misc_kind(label: str | None) -> str | None:
    """The kind a ``@misc``'s ``type`` field names (:data:`MISC_LABELS`, any case); None for any other text."""
    return _MISC_KINDS.get(" ".join(str(label or "").split()).lower())


#: Crossref work type → BibTeX entry type (the BibTeX column of :data:`KINDS`).
ENTRY_TYPES = {kind: types[0] for kind, types in KINDS.items()}

#: RIS ``TY`` → record kind (RIS's synonyms included).
RIS_TYPES = {
    "JOUR": "journal-article",
    "JFULL": "journal-article",
    "MGZN": "journal-article",
    "EJOUR": "journal-article",
    "NEWS": "journal-article",
    "ABST": "journal-article",
    "INPR": "journal-article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "edited-book",
    "CHAP": "book-chapter",
    "ECHAP": "book-chapter",
    "CONF": "proceedings-article",
    "CPAPER": "proceedings-article",
    "THES": "dissertation",
    "RPRT": "report",
    "DATA": "dataset",
    "STAND": "standard",
    "ELEC": "other",
    "GEN": "other",
    "UNPB": "posted-content",
    "COMP": "software",
}
#: CSL item type → record kind.
CSL_TYPES = {
    "article-journal": "journal-article",
    "article": "journal-article",
    "review": "journal-article",
    "article-magazine": "journal-article",
    "article-newspaper": "journal-article",
    "book": "book",
    "chapter": "book-chapter",
    "paper-conference": "proceedings-article",
    "thesis": "dissertation",
    "report": "report",
    "dataset": "dataset",
    "standard": "standard",
    "manuscript": "posted-content",
    "webpage": "other",
    "entry-encyclopedia": "reference-entry",
    "entry-dictionary": "reference-entry",
    "software": "software",
    "document": "other",
}
#: BibTeX/BibLaTeX entry type → record kind.
BIBTEX_TYPES = {
    "article": "journal-article",
    "book": "book",
    "mvbook": "book",
    "inbook": "book-chapter",
    "incollection": "book-chapter",
    "inproceedings": "proceedings-article",
    "conference": "proceedings-article",
    "proceedings": "proceedings",
    "phdthesis": "dissertation",
    "mastersthesis": "dissertation",
    "thesis": "dissertation",
    "techreport": "report",
    "report": "report",
    "dataset": "dataset",
    "online": "other",
    "misc": "other",
    "unpublished": "posted-content",
    "booklet": "book",
    "manual": "report",
    "collection": "edited-book",
    "software": "software",
}
#: Zotero item type → record kind.
ZOTERO_TYPES = {
    "journalArticle": "journal-article",
    "book": "book",
    "bookSection": "book-chapter",
    "conferencePaper": "proceedings-article",
    "thesis": "dissertation",
    "report": "report",
    "preprint": "posted-content",
    "dataset": "dataset",
    "computerProgram": "software",
    "document": "other",
    "magazineArticle": "journal-article",
    "newspaperArticle": "journal-article",
    "webpage": "other",
    "encyclopediaArticle": "reference-entry",
    "dictionaryEntry": "reference-entry",
    "standard": "standard",
}
_READ = {"bibtex": BIBTEX_TYPES, "biblatex": BIBTEX_TYPES, "ris": RIS_TYPES, "csl": CSL_TYPES, "zotero": ZOTERO_TYPES}


def kind_of(fmt: str, label: str | None) -> str | None:
    """The record kind of a ``fmt`` type label (``DATA`` in RIS → ``dataset``); None when the table has none."""
    if not label:
        return None
    table = _READ[fmt]
    key = label.strip()
    return table.get(key) or table.get(key.lower()) or table.get(key.upper())


# -- what the BibTeX writer writes -----------------------------------------------------------------------------
#: Field order in the written entry.
FIELD_ORDER = (
    "author",
    "editor",
    "title",
    "journal",
    "journaltitle",
    "shortjournal",
    "booktitle",
    "series",
    "year",
    "month",
    "day",
    "date",
    "origdate",
    "volume",
    "number",
    "pages",
    "edition",
    "publisher",
    "school",
    "institution",
    "address",
    "location",
    "issn",
    "isbn",
    "doi",
    "pmid",
    "pmcid",
    "eprint",
    "eprinttype",
    "url",
    "copyright",
    "language",
    "keywords",
    "abstract",
    "note",
    "addendum",
)

#: The dialects the BibTeX writer writes; ``zotero`` is BibTeX for Zotero's import (mscbib.writers.bibtex).
DIALECTS = ("bibtex", "biblatex", "zotero")

_BIBLATEX_COMMON = frozenset(
    {
        "abstract",
        "addendum",
        "annotation",
        "annote",
        "date",
        "doi",
        "eprint",
        "eprinttype",
        "keywords",
        "language",
        "note",
        "origdate",
        "shortjournal",
        "title",
        "url",
        "year",
    }
)
#: Fields biblatex's data model (biber ``--tool``'s ``biber-tool.conf``) allows, per entry type we write
#: (``phdthesis``/``techreport`` are biblatex's aliases of ``thesis``/``report``), among those the writer makes.
BIBLATEX_FIELDS = {
    kind: _BIBLATEX_COMMON | frozenset(extra.split())
    for kind, extra in {
        "article": "author editor issn issue journaltitle number pages volume",
        "book": "author edition editor isbn location number pages publisher series volume",
        "incollection": "author booktitle edition editor isbn location number pages publisher volume",
        "inproceedings": "author booktitle editor isbn location number organization pages publisher volume",
        "proceedings": "editor isbn location number organization pages publisher volume",
        "phdthesis": "author institution location pages",
        "techreport": "author institution location number pages",
        "misc": "author howpublished location organization",
        "software": "author editor howpublished location organization",
        "dataset": "author edition editor location number organization publisher series",
        "unpublished": "author howpublished",
    }.items()
}

#: The field a container title (Record ``journal``) goes to, for the entry types whose container is not a journal.
CONTAINER_AS = {"incollection": "booktitle", "inproceedings": "booktitle", "book": "series"}
#: The field the BibTeX data model names an entry type's publishing body in, where it is not ``publisher``.
PUBLISHER_AS = {"phdthesis": "school", "techreport": "institution"}


# -- what the two data models require and allow -----------------------------------------------------------------
#: Required fields per entry type in the BibTeX and the BibLaTeX data models (BibTeX field names); a tuple
#: inside means "one of these". The one table for ``mscbib build``'s validation and ``mscbib check`` (REQ001).
REQUIRED: dict[str, dict[str, tuple]] = {
    "bibtex": {
        "article": ("author", "title", "journal", "year"),
        "book": (("author", "editor"), "title", "publisher", "year"),
        "booklet": ("title",),
        "inbook": (("author", "editor"), "title", ("chapter", "pages"), "publisher", "year"),
        "incollection": ("author", "title", "booktitle", "publisher", "year"),
        "inproceedings": ("author", "title", "booktitle", "year"),
        "conference": ("author", "title", "booktitle", "year"),
        "manual": ("title",),
        "mastersthesis": ("author", "title", "school", "year"),
        "phdthesis": ("author", "title", "school", "year"),
        "proceedings": ("title", "year"),
        "techreport": ("author", "title", "institution", "year"),
        "unpublished": ("author", "title", "note"),
        "misc": (),
    },
    "biblatex": {
        "article": ("author", "title", ("journaltitle", "journal"), ("date", "year")),
        "book": ("author", "title", ("date", "year")),
        "mvbook": ("author", "title", ("date", "year")),
        "inbook": ("author", "title", "booktitle", ("date", "year")),
        "bookinbook": ("author", "title", ("date", "year")),
        "incollection": ("author", "title", "booktitle", ("date", "year")),
        "collection": ("editor", "title", ("date", "year")),
        "inproceedings": ("author", "title", "booktitle", ("date", "year")),
        "proceedings": ("title", ("date", "year")),
        "manual": (("author", "editor"), "title", ("date", "year")),
        "misc": (("author", "editor"), "title", ("date", "year")),
        "online": (("author", "editor"), "title", ("date", "year"), ("doi", "eprint", "url")),
        "patent": ("author", "title", "number", ("date", "year")),
        "periodical": ("editor", "title", ("date", "year")),
        "report": ("author", "title", "type", ("institution", "school"), ("date", "year")),
        "thesis": ("author", "title", "type", ("institution", "school"), ("date", "year")),
        "phdthesis": ("author", "title", ("institution", "school"), ("date", "year")),
        "mastersthesis": ("author", "title", ("institution", "school"), ("date", "year")),
        "techreport": ("author", "title", ("institution", "school"), ("date", "year")),
        "unpublished": ("author", "title", ("date", "year")),
        "dataset": (("author", "editor"), "title", ("date", "year")),
        "software": (("author", "editor"), "title", ("date", "year")),
    },
}


def missing_required(kind: str, present: Callable[[str], bool], model: str = "bibtex") -> list[tuple[str, ...]] | None:
    """The required fields an entry of type ``kind`` lacks in ``model`` ("bibtex" or "biblatex"), each as
    a tuple of alternatives; ``None`` when ``kind`` is not an entry type of that model. ``present(name)``
    says whether the entry has the field."""
    required = REQUIRED[model].get(kind)
    if required is None:
        return None
    out = []
    for need in required:
        options = need if isinstance(need, tuple) else (need,)
        if not any(present(o) for o in options):
            out.append(options)
    return out


def required_message(kind: str, options: tuple[str, ...], model: str = "bibtex") -> str:
    """REQ001's message: ``@article without year (required in the bibtex data model)``."""
    return f"@{kind} without {' or '.join(options)} (required in the {model} data model)"


def written_bibtex_fields(record: Any, kind: str) -> set[str]:
    """The names of the fields the BibTeX writer (BibTeX dialect) writes for ``record`` as an ``@kind``, among
    those the BibTeX model of :data:`REQUIRED` names — without rendering a value (``mscbib build``'s REQ001 on every record).
    ``tests/test_validate.py`` holds it against the writer's ``entry_fields`` on real records."""
    out = set()
    if record.get("authors"):
        out.add("author")
    if record.get("editors"):
        out.add("editor")
    if record.get("title"):
        out.add("title")
    journal, abbrev = record.get("journal"), record.get("journal_abbrev")
    if kind in CONTAINER_AS and journal:
        out.add(CONTAINER_AS[kind])
    elif journal or abbrev:
        out.add("journal")
    if record.get("year"):
        out.add("year")
    if record.get("pages"):
        out.add("pages")
    if record.get("publisher"):
        out.add(PUBLISHER_AS.get(kind, "publisher"))
    if record.get("printed") and not record.get("title"):
        out.add("note")
    return out & _BIBTEX_REQUIRED_NAMES


_BIBTEX_REQUIRED_NAMES = frozenset(
    o for need in REQUIRED["bibtex"].values() for n in need for o in (n if isinstance(n, tuple) else (n,))
)


#: The fields of the BibTeX data model (the standard styles').
BIBTEX_FIELD_NAMES = frozenset(
    "address annote author booktitle chapter crossref edition editor howpublished "
    "institution journal key month note number organization pages publisher school "
    "series title type volume year".split()
)
#: The fields of the BibLaTeX data model (biblatex's manual, section 2.2), BibTeX's included.
BIBLATEX_FIELD_NAMES = BIBTEX_FIELD_NAMES | frozenset(
    "abstract addendum afterword annotation annotator authortype bookauthor bookpagination booksubtitle "
    "booktitleaddon commentator date doi editora editorb editorc editortype eid entrysubtype eprint eprintclass "
    "eprinttype eventdate eventtitle eventtitleaddon file foreword holder indextitle introduction isan isbn ismn "
    "isrn issn issue issuesubtitle issuetitle iswc journalsubtitle journaltitle label language library location "
    "mainsubtitle maintitle maintitleaddon nameaddon origdate origlanguage origlocation origpublisher origtitle "
    "pagetotal pagination part pubstate reprinttitle shortauthor shorteditor shorthand shorthandintro "
    "shortjournal shortseries shorttitle subtitle titleaddon translator urldate url venue version xdata ids "
    "keywords langid langidopts options presort related relatedoptions relatedtype relatedstring sortkey "
    "sortname sortshorthand sorttitle sortyear xref execute gender entryset".split()
)
#: Fields in wide use beyond the standard styles (BibTeX ignores them; tools read them). Never reported.
COMMON_EXTRA_FIELDS = frozenset(
    "abstract doi url issn isbn keywords file pmid pmcid eprint eprinttype archiveprefix "
    "primaryclass urldate language langid note annote timestamp owner groups "
    "mendeley-tags copyright shortjournal shorttitle month day ids comment review lccn "
    "mrnumber zbl article-number eid".split()
)
#: BibLaTeX fields that BibTeX styles ignore and that are not in wide use beyond them (FLD002 under BibTeX).
BIBLATEX_ONLY_FIELDS = frozenset(BIBLATEX_FIELD_NAMES - BIBTEX_FIELD_NAMES - COMMON_EXTRA_FIELDS)
#: BibLaTeX entry types BibTeX's styles do not know.
BIBLATEX_ONLY_TYPES = frozenset(
    {"online", "report", "thesis", "dataset", "software", "mvbook", "bookinbook", "collection", "patent", "periodical"}
)
#: Classic misplacements: a field the entry type has no use for (BibTeX ignores it silently).
NOT_FOR_TYPE: Mapping[str, frozenset[str]] = {
    "article": frozenset({"booktitle", "school", "chapter"}),
    "book": frozenset({"journal", "booktitle", "school"}),
    "inproceedings": frozenset({"journal", "school"}),
    "incollection": frozenset({"journal", "school"}),
}
