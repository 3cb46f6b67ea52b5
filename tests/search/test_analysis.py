"""Segmentation, positions and bigrams: the parts indexing and querying share."""

from whoosh import query as Q

from learn.search.backends.base import Access, Filters
from learn.search.backends.whoosh_index import WhooshBackend
from learn.search.documents import IndexDocument
from learn.search.plan import build_plan
from learn.search.query import parse_query
from learn.search.segment import Segmenter, bigram_tokens, normalize
from learn.search.vocabulary import Vocabulary, shipped_vocabulary


def _doc(case_id: str, text: str, title: str = "某县干部问题剖析") -> IndexDocument:
    return IndexDocument.from_mapping(
        {
            "id": case_id,
            "title": title,
            "year": 2023,
            "categories": ["廉洁纪律"],
            "subject_level": "一般干部",
            "domains": ["作风建设"],
            "text": text,
        }
    )


def test_domain_words_stay_whole():
    segmenter = shipped_vocabulary().segmenter
    assert "八项规定" in segmenter.words("违反中央八项规定精神")
    assert "蝇贪蚁腐" in segmenter.words("群众身边的蝇贪蚁腐")
    assert "村(社区)" in segmenter.words("村（社区）干部")
    plain = Segmenter()
    assert "蝇贪蚁腐" not in plain.words("群众身边的蝇贪蚁腐")


def test_normalize_keeps_offsets_for_highlights():
    text = "ＫＴＶ消费２万元，村（社区）"
    assert len(normalize(text)) == len(text)
    assert normalize(text).startswith("ktv消费2万元")
    token = next(t for t in shipped_vocabulary().segmenter.tokens(text) if t.text == "村(社区)")
    assert text[token.start : token.end] == "村（社区）"


def test_punctuation_is_not_a_word():
    words = shipped_vocabulary().segmenter.words("“收受，礼金”！？……")
    assert words == ["收受", "礼金"]


def test_bigrams_cover_every_character_and_break_at_punctuation():
    assert bigram_tokens("收受礼金") == ["收受", "受礼", "礼金"]
    assert bigram_tokens("门难进，脸难看") == ["门难", "难进", "脸难", "难看"]
    assert bigram_tokens("KTV 村") == ["ktv", "村"]


DOCS = [
    ("adjacent", "张某多次收受礼金共计2万元。"),
    ("apart", "张某收受了管理服务对象的礼金。"),
    ("reversed", "礼金收受登记不全。"),
]


def test_positions_are_word_ordinals_so_phrases_work(tmp_path):
    # jieba's own dictionary cuts 收受礼金 into 收受 · 礼金: with character offsets
    # as positions the two words would be 2 apart and the phrase would never match.
    backend = WhooshBackend(tmp_path, bigrams=False)
    backend.rebuild([_doc(i, t) for i, t in DOCS], Vocabulary())
    ix, _vocabulary = backend._open()
    with ix.searcher() as searcher:
        found = {hit["id"] for hit in searcher.search(Q.Phrase("text", ["收受", "礼金"]))}
    assert found == {"adjacent"}


def test_a_quoted_phrase_finds_exactly_the_cases_containing_it(tmp_path):
    vocabulary = shipped_vocabulary()
    backend = WhooshBackend(tmp_path)
    backend.rebuild([_doc(i, t) for i, t in DOCS], vocabulary)
    plan = build_plan(parse_query('"收受礼金"'), vocabulary)
    page = backend.search(plan, Filters(), Access(None, everything=True))
    assert [h.id for h in page.hits] == ["adjacent"]
    loose = build_plan(parse_query("收受礼金"), vocabulary)
    page = backend.search(loose, Filters(), Access(None, everything=True))
    assert page.hits[0].id == "adjacent"
    assert {h.id for h in page.hits} == {"adjacent", "apart", "reversed"}


def test_bigram_field_finds_a_word_cut_differently(tmp_path):
    # The dictionary keeps 虚报冒领 whole, so the word 冒领 alone is not in the
    # word field; the bigram field still finds it.
    backend = WhooshBackend(tmp_path)
    backend.rebuild([_doc("a", "王某虚报冒领低保金。")], shipped_vocabulary())
    plan = build_plan(parse_query('"冒领低保"'), backend.vocabulary())
    assert backend.search(plan, Filters(), Access(None, True)).total == 1
    plain = WhooshBackend(tmp_path / "plain", bigrams=False)
    plain.rebuild([_doc("a", "王某虚报冒领低保金。")], shipped_vocabulary())
    assert plain.search(plan, Filters(), Access(None, True)).total == 0


def test_the_index_remembers_its_vocabulary(tmp_path):
    custom = Vocabulary(words=("四下基层",), stopwords=frozenset())
    backend = WhooshBackend(tmp_path)
    backend.rebuild([_doc("a", "坚持四下基层工作方法。")], custom)
    assert backend.vocabulary().fingerprint == custom.fingerprint
    assert backend.status().fingerprint == custom.fingerprint
    assert "四下基层" in backend.vocabulary().segmenter.words("四下基层")
