"""A searcher keeps reading its segments while a later write merges them away."""

from learn.search.backends.whoosh_index import WhooshBackend
from learn.search.documents import IndexDocument
from learn.search.vocabulary import shipped_vocabulary


def _doc(case_id: str, text: str) -> IndexDocument:
    return IndexDocument.from_mapping(
        {
            "id": case_id,
            "title": f"某县干部{text}问题剖析",
            "year": 2023,
            "categories": ["廉洁纪律"],
            "subject_level": "一般干部",
            "domains": ["三资管理"],
            "text": f"某村党支部书记王某{text}，受到党内警告处分。",
        }
    )


def test_a_kept_searcher_survives_a_merge_that_deletes_its_segments(tmp_path):
    backend = WhooshBackend(tmp_path)
    backend.rebuild([_doc("base-01", "虚报冒领")], shipped_vocabulary())
    backend.apply([_doc("small-01", "收受红包")], [])
    ix, _vocabulary = backend._open()
    with backend._searcher(ix) as searcher:
        docnum = searcher.document_number(id="small-01")
        segment_files = set(tmp_path.glob("idx-*/*"))

        for n in range(2, 8):  # each commit merges the small segments into a new one
            backend.apply([_doc(f"small-0{n}", "违规吃喝")], [])
        assert not segment_files <= set(tmp_path.glob("idx-*/*"))  # some were deleted

        assert searcher.stored_fields(docnum)["stored"]["title"] == "某县干部收受红包问题剖析"
