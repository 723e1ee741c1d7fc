"""Topic tags: the vocabulary, whole-word matching, tag sources, and the seeds' hand-checked tags."""

from __future__ import annotations

import pytest

from conftest import SEEDS
from mscbib.model import Provenance, Record
from mscbib.sources import expand_inputs, read_inputs
from mscbib.tags import VocabularyError, apply_tags, load_vocabulary, parse_vocabulary, unique_tags

PAGE = Provenance("page", "x.txt", 1)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def rec(title="", abstract="", keywords=()):
    r = Record(source=PAGE)
    r.set("title", title, PAGE)
    r.set("abstract", abstract, PAGE)
    r.set("keywords", list(keywords), PAGE)
    return r


def topics(vocab, text):
    return [t for t, _ in vocab.find(text)]


# -- whole words only ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "hMSCs were cultured",  # MSC inside a word
        "the MSCRAMM adhesins",  # MSC at the start of a word
        "DMSC and pMSC lines",
        "a TMEM protein",  # TME inside a word
        "the scaffold was coated",  # CAF inside a word
        "systemic treatment",  # EMT inside a word
        "she will femtosecond",
        "msc in lower case is not the abbreviation",
        "a trail through the woods",  # TRAIL only as the abbreviation
        "remigration is not a word we tag",
    ],
)
def test_a_term_inside_another_word_never_tags(vocab, text):
    assert topics(vocab, text) == []


@pytest.mark.parametrize(
    "text, topic",
    [
        ("MSC", "msc"),
        ("MSCs home to tumours", "msc"),
        ("(MSC)", "msc"),
        ("TA-MSCs", "ta-msc"),
        ("tumour microenvironment", "tme"),  # British spelling
        ("Tumor Micro-Environment", "tme"),  # case, hyphenation
        ("the TME", "tme"),
        ("CAFs", "caf"),
        ("cancer-associated fibroblasts", "caf"),
        ("cancer associated fibroblast", "caf"),  # hyphen or space
        ("epithelial-mesenchymal transition", "emt"),
        ("TGFβ1-dependent", "tgf-beta"),
        ("TGF-β signalling", "tgf-beta"),
        ("exosomes", "ev"),
        ("bone marrow derived mesenchymal stem cells", "bm-msc"),
    ],
)
def test_synonyms_variants_and_plurals_tag(vocab, text, topic):
    assert topics(vocab, text)[:1] == [topic]


def test_longest_phrase_wins_and_parents_are_added(vocab):
    r = rec(title="Tumour-associated mesenchymal stromal cells")
    apply_tags(r, vocab)
    assert r.get("keywords") == [
        "cancer",
        "mesenchymal stem/stromal cells",
        "tumor microenvironment",
        "tumor-associated MSCs",
    ]
    parent = [t for t in r.tags if t.tag == "tumor microenvironment"]
    assert parent and parent[0].origin == "parent" and parent[0].matched == "tumor-associated MSCs"


def test_keywords_are_kept_as_printed_deduplicated_and_sorted_with_the_topics_beside(vocab):
    r = rec(keywords=["Exosomes.", "  systemic   circulation", "Zebrafish", "exosome", "zebrafish"])
    apply_tags(r, vocab)
    # the author's keywords as printed (spaces folded, the list's full stop dropped; "zebrafish" is "Zebrafish"
    # again), and the topic "Exosomes" names beside them
    assert r.get("keywords") == ["exosome", "Exosomes", "extracellular vesicles", "systemic circulation", "Zebrafish"]
    kw = [t for t in r.tags if t.origin == "keywords"]
    assert [(t.tag, t.matched, t.where) for t in kw][:3] == [
        ("Exosomes", "Exosomes", "x.txt:1"),
        ("extracellular vesicles", "Exosomes", "x.txt:1"),
        ("systemic circulation", "systemic circulation", "x.txt:1"),
    ]


def test_the_authors_keywords_survive_beside_the_topic_they_name(vocab):
    """Issue 12 item 8: the seed's 'homing' and 'migration' were written only as 'homing and migration'."""
    r = rec(keywords=["homing", "migration", "Cancer"], abstract="cancer")
    apply_tags(r, vocab)
    assert r.get("keywords") == ["Cancer", "homing", "homing and migration", "migration"]


def test_crossref_subjects_and_mesh_are_sources(vocab):
    r = rec(title="A study")
    r.set("keywords", [], PAGE)
    r.values.pop("keywords", None)
    apply_tags(r, vocab, {"DOI": "10.1/x", "subject": ["Oncology", "Cancer Research"]})
    assert r.get("keywords") == ["cancer", "Cancer Research"]
    assert {(t.tag, t.origin, t.where) for t in r.tags} >= {("cancer", "crossref-subject", "crossref 10.1/x")}


def test_a_record_without_text_gets_no_tags(vocab):
    r = Record(source=PAGE)
    assert apply_tags(r, vocab) == [] and "keywords" not in r


def test_unique_tags_ignores_case():
    from mscbib.model import TagSource

    assert unique_tags([TagSource("b", "x"), TagSource("A", "x"), TagSource("a", "x")]) == ["A", "b"]


# -- the vocabulary file ---------------------------------------------------------------------------------------
def test_a_user_vocabulary_replaces_the_default(tmp_path):
    f = tmp_path / "v.toml"
    f.write_text('[topics.fish]\ntag = "zebrafish"\nsynonyms = ["Danio rerio"]\n', encoding="utf-8")
    v = load_vocabulary(f)
    assert topics(v, "in Danio rerio embryos, MSCs") == ["fish"]


def test_a_local_vocabulary_is_picked_up(tmp_path, monkeypatch):
    (tmp_path / "mscbib-vocabulary.toml").write_text('[topics.a]\ntag = "alpha"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert list(load_vocabulary().topics) == ["a"]


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "no [topics.<id>] tables"),
        ('[topics.a]\nsynonyms = ["x"]\n', "[topics.a]: needs tag"),
        ('[topics.a]\ntag = "a"\nparents = ["b"]\n', "parent 'b' is not a topic"),
        ('[topics.a]\ntag = "a"\nsynonym = ["b"]\n', "unknown keys synonym"),
        ("[topics.a\n", "not valid TOML"),
    ],
)
def test_a_bad_vocabulary_names_file_and_topic(tmp_path, body, message):
    f = tmp_path / "bad.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(f)
    assert str(f) in str(err.value) and message in str(err.value)


def test_every_default_topic_tags_its_own_name(vocab):
    for tid, topic in vocab.topics.items():
        assert tid in topics(vocab, topic.tag)
        for s in topic.synonyms:
            assert topics(vocab, s)[:1] == [tid] or tid in topics(vocab, s), (tid, s)


def test_parse_vocabulary_direct():
    v = parse_vocabulary({"topics": {"x": {"tag": "X-ray"}}}, "inline")
    assert topics(v, "an X-ray image") == ["x"] and topics(v, "an x ray") == ["x"] and topics(v, "Xray") == []


# -- the seeds, checked by hand ----------------------------------------------------------------------------------
SEED_TAGS = {
    # "Tumor-associated mesenchymal stem/stromal cells in tumor microenvironment and carcinogenesis"; the abstract
    # names homing, immunomodulatory functions and TA-MSCs.
    "000_d87016ac943063e5.txt": [
        "cancer",
        "homing and migration",
        "immunomodulation",
        "mesenchymal stem/stromal cells",
        "tumor microenvironment",
        "tumor-associated MSCs",
    ],
    # title: MSCs, tumor microenvironment, signaling pathways; abstract: migrating/homing, chemoresistance; the
    # page's keywords are kept as printed ("Mesenchymal stromal cells; chemoresistance; homing; migration;
    # signaling pathways; systemic circulation; tumor modulation."), the topics they name beside them.
    "002_e98953a2bc270a0f.txt": [
        "cancer",
        "chemoresistance",
        "homing",
        "homing and migration",
        "mesenchymal stem/stromal cells",
        "Mesenchymal stromal cells",
        "migration",
        "signaling pathways",
        "systemic circulation",
        "tumor microenvironment",
        "tumor modulation",
    ],
    # title: bone marrow-derived MSCs, tumor microenvironment; abstract: tumor-associated fibroblasts,
    # angiogenesis, immunomodulatory, drug resistance, myeloma.
    "004_899c7bae68d53af6.txt": [
        "angiogenesis",
        "bone marrow-derived MSCs",
        "cancer",
        "cancer-associated fibroblasts",
        "chemoresistance",
        "immunomodulation",
        "mesenchymal stem/stromal cells",
        "multiple myeloma",
        "tumor microenvironment",
    ],
}


def test_the_seeds_get_the_topics_they_name_and_no_others(vocab):
    records = read_inputs(expand_inputs([str(SEEDS)]), None).records
    got = {r.source.file.rsplit("/", 1)[-1]: apply_tags(r, vocab) for r in records}
    assert got == SEED_TAGS
    seed004 = next(r for r in records if r.source.file.endswith("004_899c7bae68d53af6.txt"))
    why = {(t.tag, t.origin, t.field, t.matched) for t in seed004.tags}
    assert ("chemoresistance", "vocabulary", "abstract", "drug resistance") in why
    assert ("bone marrow-derived MSCs", "vocabulary", "title", "Bone marrow-derived mesenchymal stem cells") in why


# -- matching made cheap (issues 15/16): what is remembered changes no answer --------------------------------------
PHRASES = {
    "topics": {
        "tgf": {"tag": "TGF beta receptor", "synonyms": ["tumour growth factor"]},
        "growth": {"tag": "growth"},
    },
    "spelling": {"tumour": "tumor"},
}


@pytest.mark.parametrize(
    "text, found",
    [
        ("the TGF beta receptors bind", [("tgf", "TGF beta receptors")]),  # a plural on the last word
        ("TGF beta receptores", [("tgf", "TGF beta receptores")]),  # "es" dropped on the last word too
        ("tgf beta receptor", []),  # the abbreviation matches in its own case only
        ("TGF betas receptor", []),  # a plural on an inner word is another phrase
        ("TGF beta", []),  # the text ends inside the phrase
        ("a tumor growth factor and growth", [("tgf", "tumor growth factor"), ("growth", "growth")]),  # spelling
        ("a Tumour Growth Factors", [("tgf", "Tumour Growth Factors")]),
        ("tumor growth", [("growth", "growth")]),  # the phrase falls short: its inner word still tags
    ],
)
def test_phrases_match_word_by_word_with_case_plurals_and_spelling(text, found):
    v = parse_vocabulary(PHRASES, "inline")
    assert v.find(text) == found
    assert v.find(text) == found  # asked again: the remembered answer is the same


def test_a_remembered_answer_is_not_changed_by_its_caller(vocab):
    text = "Mesenchymal stem cells home to the tumor microenvironment."
    first = vocab.find(text)
    first.append(("x", "y"))
    assert vocab.find(text) == first[:-1] and first[:-1]


def test_what_is_remembered_is_bounded_and_answers_stay_the_same(monkeypatch):
    import mscbib.tags as tags

    texts = [f"exosomes from MSCs {i}" for i in range(20)] + ["tumor microenvironment and angiogenesis"] * 3
    fresh = [load_vocabulary().find(t) for t in texts]  # a vocabulary for each text: nothing remembered
    monkeypatch.setattr(tags, "_FOUND_MEMO", 5)
    v = load_vocabulary()
    assert [v.find(t) for t in texts] == fresh
    assert len(v._found) <= 5


def test_cited_works_and_entries_repeating_a_text_get_the_same_tags_and_reasons(vocab):
    def cited():
        r = Record(source=Provenance("reference"))
        r.set("title", "Exosomes of bone marrow-derived MSCs in the tumour microenvironment", PAGE)
        return r

    a, b = cited(), cited()
    assert apply_tags(a, vocab) == apply_tags(b, vocab) != []
    assert a.tags == b.tags and a.get("keywords") == b.get("keywords")
