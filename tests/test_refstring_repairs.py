"""The structural repairs of the model's segments (issue 14: titles and journals): each rule moves a boundary
between the model's own runs where a citation style says one field ends and the next starts. The strings are
synthetic (written for these tests, in the shapes of real references), labelled by hand the way the model
mislabels such strings; every value asserted is a piece of the string."""

from __future__ import annotations

from mscbib.sources import refmodel
from mscbib.sources.refstring import fields_from_labels
from test_refstring import _hand_labelled


def _labelled(*segments: tuple[str, str]):
    """The segments ``(label, text)`` joined by spaces, each of its tokens labelled with the segment's label."""
    text = " ".join(t for _, t in segments)
    return _hand_labelled(text, [(lab, len(refmodel.tokenize(t))) for lab, t in segments])


# -- a title run that runs on into the next field ----------------------------------------------------------------
def test_a_title_run_holding_in_and_a_book_gives_the_book_to_the_container():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("date", "(2007)."),
            ("title", "Global markets: consumers. In: A Companion to the Study of Things"),
            ("editor", "(edited by B. Doe),"),
            ("pages", "pp. 406-419."),
        )
    )
    assert c.title == "Global markets: consumers"
    assert c.container == "A Companion to the Study of Things" and c.container_kind == "book"
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", '"Spaces of memory," in The Geography of Things,'),
            ("date", "2016,"),
            ("pages", "pp. 45-62."),
        )
    )
    assert (c.title, c.container) == ("Spaces of memory", "The Geography of Things")


def test_the_editors_named_in_the_book_part_of_a_title_run_are_the_editors():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A,"),
            ("date", "2007."),
            ("title", "Remembering the flood. In: Doe B, Poe C, eds. Handbook of Floods."),
            ("publisher", "Wave Press,"),
            ("location", "New York,"),
            ("pages", "pp. 441-455."),
        )
    )
    assert c.title == "Remembering the flood"
    assert [p.family for p in c.editors] == ["Doe", "Poe"]
    assert c.container == "Handbook of Floods"


def test_in_inside_a_title_or_before_a_book_already_found_is_left_alone():
    # "in" inside the title, not after a clause's end
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", "Studies in Logic and Things."),
            ("publisher", "North Press,"),
            ("date", "1984."),
        )
    )
    assert c.title == "Studies in Logic and Things" and c.container is None
    # "In" followed by a word in lower case is no book
    c = fields_from_labels(
        _labelled(("author", "Roe A."), ("title", "Growth. In vitro studies of cells."), ("date", "1990."))
    )
    assert c.title == "Growth. In vitro studies of cells" and c.container is None
    # the model found a book elsewhere: the title run is not cut for a second one
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", "Cells. In: Doe B, The Book of Cells."),
            ("location", "Paris:"),
            ("container", "Other Book,"),
            ("date", "1990."),
        )
    )
    assert c.title == "Cells. In: Doe B, The Book of Cells"


def test_a_double_slash_starts_the_journal_or_the_book():
    c = fields_from_labels(
        _labelled(
            ("author", "Ivanov I. I."),
            ("title", "On the theory of things // Vestnik of Things."),
            ("date", "2001."),
            ("volume", "Vol. 5."),
            ("pages", "P. 1-10."),
        )
    )
    assert (c.title, c.container, c.container_kind) == ("On the theory of things", "Vestnik of Things", "journal")


def test_proceedings_a_work_type_an_edition_and_a_volume_end_the_title():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", "Making things fast. Proceedings of the 3rd Workshop on Things,"),
            ("pages", "pp. 5-9,"),
            ("date", "1990."),
        )
    )
    assert c.title == "Making things fast"
    assert (c.container, c.container_kind) == ("Proceedings of the 3rd Workshop on Things", "proceedings")
    t = _labelled(
        ("author", "Roe A., and Doe B."),
        ("title", "Set-based analysis: theory and practice. Technical Report TR-96-266"),
        ("publisher", ", Rice University,"),
        ("date", "1996."),
    )
    c = fields_from_labels(t)
    assert c.title == "Set-based analysis: theory and practice"
    assert " ".join(w for w, lab in zip(t.tokens, t.labels) if lab == "genre") == "Technical Report TR-96-266"
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", "The calculus of things. 2nd ed."),
            ("location", "Amsterdam:"),
            ("publisher", "North Press,"),
            ("date", "1984."),
        )
    )
    assert (c.title, c.edition) == ("The calculus of things", "2nd")
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", "The history of things. Vol. 3."),
            ("location", "London:"),
            ("publisher", "Payne,"),
            ("date", "1810."),
        )
    )
    assert (c.title, c.volume) == ("The history of things", "3")


# -- a journal left inside the title, a title inside the journal -------------------------------------------------
def test_the_last_sentence_of_a_title_before_its_volume_is_the_journal():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe D, Doe J."),
            ("title", "Mapping scores onto an index: how reliable is the relationship? Health Qual Life Outcomes."),
            ("date", "2009;"),
            ("volume", "7:"),
            ("pages", "27."),
        )
    )
    assert c.title == "Mapping scores onto an index: how reliable is the relationship?"
    assert (c.container, c.container_kind) == ("Health Qual Life Outcomes", "journal")
    # a volume word labelled as something else, then the volume
    c = fields_from_labels(
        _labelled(
            ("author", "Roe D., and Doe T."),
            ("date", "(1995)."),
            ("title", "A comparison of nearest neighbour algorithms. Machine Learning,"),
            ("other", "Vol."),
            ("volume", "19, No. 1,"),
            ("pages", "pp. 5-28."),
        )
    )
    assert (c.title, c.container) == ("A comparison of nearest neighbour algorithms", "Machine Learning")
    # the volume and the pages left at the title's end too
    c = fields_from_labels(
        _labelled(
            ("author", "S. M. Roe."),
            ("title", "Some properties of polyhedral maps. Mathematical Programming Study, 14 206-214,"),
            ("date", "1981."),
        )
    )
    assert (c.title, c.container, c.volume, c.pages) == (
        "Some properties of polyhedral maps",
        "Mathematical Programming Study",
        "14",
        "206--214",
    )


def test_an_abbreviation_is_no_sentence_end_so_the_title_is_not_cut_there():
    """``hepatitis C. Intervirology.``: ``C.`` may be an initial, so no journal is made of the title's end
    (a field the rule is unsure of stays empty)."""
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A, Doe F."),
            ("title", "Antibodies in patients with chronic hepatitis C. Intervirology."),
            ("date", "2007;"),
            ("volume", "50:"),
            ("pages", "281-6."),
        )
    )
    assert c.title == "Antibodies in patients with chronic hepatitis C. Intervirology" and c.container is None


def test_the_part_of_a_journal_run_before_its_last_sentence_end_is_the_title_when_there_is_none():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, E. V., & Doe, J. C."),
            ("date", "(2010)."),
            ("journal", "The counseling survey: initial instrument development. Professional School Counseling,"),
            ("volume", "14,"),
            ("pages", "125-133."),
        )
    )
    assert c.title == "The counseling survey: initial instrument development"
    assert c.container == "Professional School Counseling"
    # a run of abbreviations alone is a journal, whatever its full stops
    c = fields_from_labels(
        _labelled(("author", "T. Roe,"), ("journal", "Gen. Relativ. Gravit."), ("volume", "43,"), ("pages", "2307"))
    )
    assert (c.title, c.container) == (None, "Gen. Relativ. Gravit.")


def test_a_book_taken_for_a_journal_before_its_date_and_place_is_the_title():
    c = fields_from_labels(
        _labelled(
            ("journal", "The dictionary of cognitive things."),
            ("date", "(1991)."),
            ("location", "Oxford, England:"),
            ("publisher", "Blackwell."),
        )
    )
    assert (c.title, c.container, c.place, c.publisher) == (
        "The dictionary of cognitive things",
        None,
        "Oxford, England",
        "Blackwell",
    )


def test_a_run_after_a_short_title_that_starts_in_lower_case_is_the_titles_rest():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, A."),
            ("date", "(2007)."),
            ("title", "“Like”"),
            ("container", "and language ideology: fact from fiction."),
            ("journal", "American Speech,"),
            ("volume", "82 (4),"),
            ("pages", "386-416."),
        )
    )
    assert c.title is not None and c.title.endswith("Like” and language ideology: fact from fiction")
    assert c.container == "American Speech"
    # "in" (and "pp.", "ed.", "to appear" …) may start the next field in lower case: no change
    c = fields_from_labels(
        _labelled(
            ("author", "Roe A."),
            ("title", '"On things,"'),
            ("note", "to appear"),
            ("container", "in Proceedings of Things,"),
            ("date", "2003."),
        )
    )
    assert c.title == "On things"


# -- a journal run that runs on, or starts late --------------------------------------------------------------------
def test_a_journal_run_ending_in_its_volume_its_month_or_its_publishers_acronym_is_cut_there():
    c = fields_from_labels(
        _labelled(
            ("journal", "THINGS SURVEYS & TUTORIALS, VOL. 11,"),
            ("other", "NO."),
            ("issue", "3,"),
            ("date", "2009"),
            ("pages", "37"),
        )
    )
    assert (c.container, c.volume) == ("THINGS SURVEYS & TUTORIALS", "11")
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, A."),
            ("title", "On things."),
            ("journal", "Journal of Things, June"),
            ("date", "2012,"),
            ("volume", "n° 213,"),
            ("pages", "p. 43-54"),
        )
    )
    assert (c.container, c.year) == ("Journal of Things", "2012")
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, D.B."),
            ("date", "(1961)."),
            ("title", "'A formula for the wall.'"),
            ("journal", "Journal of Applied Things, ASME,"),
            ("volume", "Vol. 28, No. 3,"),
            ("pages", "pp. 455-458."),
        )
    )
    assert (c.container, c.publisher, c.volume) == ("Journal of Applied Things", "ASME", "28")
    # an acronym after a full stop is the journal's own abbreviation ("Jour. AWWA"), not its publisher
    c = fields_from_labels(
        _labelled(("title", "Corrosion of iron pipe."), ("journal", "Jour. AWWA,"), ("volume", "93:"), ("pages", "88."))
    )
    assert (c.container, c.publisher) == ("Jour. AWWA", None)


def test_a_journal_run_after_a_title_that_ends_on_of_or_in_starts_after_the_titles_last_word():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe B, Doe A."),
            ("title", "The use of rDNA sequences for systematic relationships in"),
            ("journal", "Hydrozoa. Sci Mar"),
            ("date", "2000;"),
            ("volume", "64:"),
            ("pages", "117-122."),
        )
    )
    assert c.title == "The use of rDNA sequences for systematic relationships in Hydrozoa"
    assert c.container == "Sci Mar"
    # a title that ends on a sentence end keeps its boundary, whatever full stops the journal has
    c = fields_from_labels(
        _labelled(
            ("author", "Roe P."),
            ("title", "Decay of the field on the manifold."),
            ("journal", "J. Hyperbolic Differ. Equ.,"),
            ("volume", "5 (4):"),
            ("pages", "807-856,"),
            ("date", "2008."),
        )
    )
    assert (c.title, c.container) == ("Decay of the field on the manifold", "J. Hyperbolic Differ. Equ.")


# -- a title left in the authors' run -------------------------------------------------------------------------------
def test_a_title_left_in_a_single_inverted_author_run_is_the_title():
    c = fields_from_labels(
        _labelled(
            ("author", "Forster, E. M. Howards End."),
            ("location", "New York:"),
            ("publisher", "Noble Classics,"),
            ("date", "2003."),
        )
    )
    assert (c.title, [p.family for p in c.authors]) == ("Howards End", ["Forster"])
    c = fields_from_labels(
        _labelled(("author", "———. Watt."), ("location", "Paris:"), ("publisher", "Olympia Press,"), ("date", "1953."))
    )
    assert c.title == "Watt"
    # more names, or one word after an initial: no title is made of them
    for authors in ("Mason, R. Hal and John C. McKelvey.", "Crawkes, Coronel J. Beresford."):
        c = fields_from_labels(
            _labelled(("author", authors), ("location", "Menlo Park:"), ("publisher", "Institute,"), ("date", "1962."))
        )
        assert c.title is None


def test_a_container_before_its_volume_with_no_book_words_is_the_journal():
    c = fields_from_labels(
        _labelled(
            ("author", "M.W. Roe,"),
            ("title", "'Homer and the Formula, Part II'"),
            ("container", "Oral Things 3"),
            ("date", "(1988),"),
            ("pages", "pp. 11-60."),
        )
    )
    assert (c.container, c.container_kind, c.volume) == ("Oral Things", "journal", "3")
    c = fields_from_labels(
        _labelled(("author", "Roe, A."), ("title", "Review of a book."), ("container", "RA"), ("volume", "2014/1,"))
    )
    assert (c.container, c.container_kind) == ("RA", "journal")
    # "In" before it, or editors: a book's volume
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, A."),
            ("title", "Things."),
            ("container", "In Handbook of Things,"),
            ("volume", "Vol. 3,"),
            ("pages", "pp. 1-9."),
        )
    )
    assert (c.container, c.container_kind) == ("Handbook of Things", "book")


# -- the confidence a field needs where the style pins it ----------------------------------------------------------
def _with_confidence(t, label: str, conf: float):
    t.confidence = [conf if lab == label else 1.0 for lab in t.labels]
    return t


def test_a_title_in_the_titles_place_needs_less_confidence():
    """Right after the authors and before another field, a title the model hesitates over (0.35) is kept; the
    same run with nothing before it is not (a field the model is unsure of stays empty)."""
    placed = [
        ("author", "J.M. Roe,"),
        ("title", "Homer's Traditional Things,"),
        ("location", "Park"),
        ("date", "1999."),
    ]
    assert fields_from_labels(_with_confidence(_labelled(*placed), "title", 0.35)).title == "Homer's Traditional Things"
    assert fields_from_labels(_with_confidence(_labelled(*placed), "title", 0.25)).title is None
    alone = [("title", "Homer's Traditional Things,"), ("location", "Park"), ("date", "1999.")]
    assert fields_from_labels(_with_confidence(_labelled(*alone), "title", 0.35)).title is None


def test_a_journal_between_the_title_and_its_volume_needs_less_confidence():
    segs = [("author", "Roe, A.,"), ("title", "« Une histoire »,"), ("journal", "Le mouvement social,")]
    t = _with_confidence(_labelled(*segs, ("volume", "n°180,"), ("date", "1997,")), "journal", 0.45)
    assert fields_from_labels(t).container == "Le mouvement social"
    t = _with_confidence(_labelled(*segs), "journal", 0.45)  # nothing after it
    assert fields_from_labels(t).container is None


def test_a_title_run_ending_on_a_bare_word_before_the_journal_gives_the_journal_its_first_words():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, A."),
            ("date", "(2009)."),
            ("title", "Learning to be literate: issues of pedagogy in Australia. Critical Inquiry in"),
            ("journal", "Language Things,"),
            ("volume", "6 (1-2),"),
            ("pages", "81-101."),
        )
    )
    assert c.title == "Learning to be literate: issues of pedagogy in Australia"
    assert c.container == "Critical Inquiry in Language Things"
    c = fields_from_labels(  # comma-separated: the last comma
        _labelled(
            ("author", "Roe, R., Doe, P.,"),
            ("title", "An impactor for the crater, Siberia, Geochimica et Cosmochimica"),
            ("journal", "Acta,"),
            ("volume", "Vol. 69, No. 11,"),
            ("pages", "P. 2877 - 2889."),
        )
    )
    assert (c.title, c.container) == ("An impactor for the crater, Siberia", "Geochimica et Cosmochimica Acta")
    # a title that ends on a full stop or a quote keeps its boundary
    c = fields_from_labels(
        _labelled(("title", "Water, the new oil."), ("journal", "Things Today,"), ("volume", "6,"), ("pages", "1-9."))
    )
    assert (c.title, c.container) == ("Water, the new oil", "Things Today")


def test_proceedings_after_a_comma_end_a_comma_separated_title():
    c = fields_from_labels(
        _labelled(
            ("author", "Card, S. K., Roe, G. G.,"),
            ("title", "The Information Thing, an Information Workspace, Proceedings of Human Factors (CHI91),"),
            ("pages", "181-188,"),
            ("date", "1991."),
        )
    )
    assert c.title == "The Information Thing, an Information Workspace"
    assert (c.container, c.container_kind) == ("Proceedings of Human Factors (CHI91)", "proceedings")


def test_a_publisher_or_place_and_publisher_left_at_the_titles_end_are_given_to_them():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, H. J."),
            ("date", "1999."),
            ("title", "Analyzing data with a program. Thing Software Inc.,"),
            ("location", "San Diego, CA."),
        )
    )
    assert (c.title, c.publisher, c.place) == ("Analyzing data with a program", "Thing Software Inc", "San Diego, CA")
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, Louise."),
            ("date", "2003."),
            ("title", "Managing work and family life in careers. Leeds: Centre for the Study of Things,"),
            ("date", "2004."),
        )
    )
    assert (c.title, c.place, c.publisher) == (
        "Managing work and family life in careers",
        "Leeds",
        "Centre for the Study of Things",
    )
    # a subtitle after a colon is no place and publisher: it is not the title's last sentence
    c = fields_from_labels(
        _labelled(("author", "Roe, A."), ("title", "Cancer: a review of things."), ("date", "2004."))
    )
    assert (c.title, c.place, c.publisher) == ("Cancer: a review of things", None, None)


def test_the_first_words_of_a_title_left_after_the_last_initials_are_the_titles():
    c = fields_from_labels(
        _labelled(
            ("author", "Hazell, T.J.; Roe, J.R.; Doe, H.A. Vitamin D:"),
            ("title", "An overview of its role in muscle."),
            ("journal", "Nutr. Rev."),
            ("date", "2012,"),
            ("volume", "70,"),
            ("pages", "520-533."),
        )
    )
    assert c.title == "Vitamin D: An overview of its role in muscle"
    assert [p.family for p in c.authors] == ["Hazell", "Roe", "Doe"]
    c = fields_from_labels(
        _labelled(("editor", "Roe, Marina ed. La bella"), ("title", "e la bestia."), ("publisher", "Donzelli,"))
    )
    assert c.title == "La bella e la bestia" and c.editors
    # given names first, or a family name with its full stop or colon after the initials: the names stay
    for authors, title in (
        ("A. P. Witkin.", "Scale-space filtering."),
        ("William G. Cochran.", "Sampling techniques."),
        ("Peter E. Gordon:", "Continental divide."),
    ):
        c = fields_from_labels(_labelled(("author", authors), ("title", title), ("date", "1983.")))
        assert c.title == title.rstrip("."), authors


def test_a_publisher_between_the_title_and_a_volume_is_the_journal_a_press_before_pages_is_not():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe EA, Doe A."),
            ("title", "Acute failure after a treatment."),
            ("publisher", "Blood Things"),
            ("date", "1996;"),
            ("volume", "5:"),
            ("pages", "360-362."),
        )
    )
    assert (c.container, c.container_kind, c.publisher) == ("Blood Things", "journal", None)
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, A.,"),
            ("date", "2008:"),
            ("title", "Forecasting losses."),
            ("publisher", "Cambridge University Press,"),
            ("pages", "189-208."),
        )
    )
    assert (c.container, c.publisher) == (None, "Cambridge University Press")


def test_a_container_in_the_titles_place_is_the_title():
    c = fields_from_labels(
        _labelled(
            ("editor", "Roe E. (ed.),"),
            ("container", "Studies of Things, Skopje,"),
            ("date", "1999."),
        )
    )
    assert (c.title, c.container) == ("Studies of Things, Skopje", None)
    # "in:" before it, or a word in lower case: the book a part is in
    for container in ("in: Studies of Things,", "to be presented at the Things Meeting,"):
        c = fields_from_labels(_labelled(("author", "Roe, A.,"), ("container", container), ("date", "1993.")))
        assert c.title is None and c.container, container


def test_a_publisher_run_in_the_titles_place_gives_the_title_its_first_sentence():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, N., & Doe, S."),
            ("date", "(1984)."),
            ("publisher", "Dictionary of Things. Harmondsworth, Penguin."),
        )
    )
    assert (c.title, c.publisher) == ("Dictionary of Things", "Harmondsworth, Penguin")


def test_a_capitalised_title_without_abbreviations_is_taken_from_the_journal_run_too():
    c = fields_from_labels(
        _labelled(
            ("author", "Roe, L. M. & Doe, J. K."),
            ("date", "(2001)."),
            ("journal", "Project Estancia Things. The Person-Centered Journal,"),
            ("volume", "8 (1-2),"),
            ("pages", "26-42."),
        )
    )
    assert (c.title, c.container) == ("Project Estancia Things", "The Person-Centered Journal")
