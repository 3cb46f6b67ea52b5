"""Uploads are checked by content, stored outside the web root and served as attachments."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from learn.errors import LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.lectures.filetypes import detect
from learn.lectures.materials import add_file, add_note, open_download
from learn.lectures.registration import register
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.lectures.factories import make_org, make_series, make_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml" if kind == "pptx" else "word/document.xml", "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.exe", WINDOWS_EXE)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpg"),
        (office("pptx"), "pptx"),
        (office("docx"), "docx"),
        (WINDOWS_EXE, None),
        (ELF, None),
        (plain_zip(), None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old-doc", None),
        (b"", None),
    ],
)
def test_types_are_detected_by_content(data, expected):
    kind = detect(io.BytesIO(data))
    assert (kind.code if kind else None) == expected


@pytest.fixture
def setting(app):
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    speaker = make_user("daoshi", name="贺知远", unit=county)
    session = make_session(trainer, series, starts_in=timedelta(days=2), speakers=[speaker])
    cadre = make_user("xueyuan", name="林一帆", unit=township)
    return trainer, session, speaker, cadre


def test_a_renamed_executable_is_refused_and_nothing_is_stored(app, setting):
    _trainer, session, speaker, _cadre = setting
    with pytest.raises(LearnError, match="改扩展名没有用"):
        add_file(speaker, session, io.BytesIO(WINDOWS_EXE), "讲义.pdf")
    uploads = Path(app.config["UPLOADS_DIR"])
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_oversized_and_empty_files_are_refused(app, setting):
    _trainer, session, speaker, _cadre = setting
    app.config["LECTURE_MATERIAL_MAX_MB"] = 1
    with pytest.raises(LearnError, match="超过 1 MB"):
        add_file(speaker, session, io.BytesIO(PDF + b"0" * 1024 * 1024), "big.pdf")
    with pytest.raises(LearnError, match="空的"):
        add_file(speaker, session, io.BytesIO(b""), "empty.pdf")


def test_only_speakers_and_organisers_upload(app, setting):
    _trainer, session, _speaker, cadre = setting
    with pytest.raises(PermissionDenied):
        add_file(cadre, session, io.BytesIO(PDF), "a.pdf")
    with pytest.raises(PermissionDenied):
        add_note(cadre, session, "笔记", "内容")


def test_stored_with_a_generated_name_and_downloaded_with_the_detected_type(app, setting):
    _trainer, session, speaker, cadre = setting
    material = add_file(speaker, session, io.BytesIO(office("pptx")), "../../课件.pdf", "课件")
    db.session.commit()
    stored = [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [material.storage_key]
    download = open_download(cadre, material)
    assert download.filename == "课件.pptx"
    assert download.stream.read() == office("pptx")


def test_download_is_an_attachment_with_nosniff(app, client, setting):
    _trainer, session, speaker, _cadre = setting
    material = add_file(speaker, session, io.BytesIO(PDF), "讲义.pdf")
    db.session.commit()
    login(client, "xueyuan")
    response = client.get(f"/lectures/materials/{material.id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.data == PDF


def test_restricted_materials_are_hidden_from_those_not_registered(app, client, setting):
    _trainer, session, speaker, cadre = setting
    material = add_file(speaker, session, io.BytesIO(PDF), "讲义.pdf", attendees_only=True)
    add_note(speaker, session, "内部笔记", "**仅限学员**", attendees_only=True)
    db.session.commit()
    outsider = make_user("waibu", name="外单位干部")
    with pytest.raises(NotFound):
        open_download(outsider, material)
    login(client, "waibu")
    assert client.get(f"/lectures/materials/{material.id}/download").status_code == 404
    page = client.get(f"/lectures/sessions/{session.id}").get_data(as_text=True)
    assert "内部笔记" not in page and "另有 2 份资料仅对本场报名学员开放" in page
    register(cadre, session)
    db.session.commit()
    assert open_download(cadre, material).stream.read() == PDF


def test_upload_page_refuses_an_executable_with_a_chinese_message(app, client, setting):
    _trainer, session, _speaker, _cadre = setting
    login(client, "daoshi")
    response = post_form(
        client,
        f"/lectures/sessions/{session.id}/materials",
        {"file": (io.BytesIO(WINDOWS_EXE), "讲义.pdf"), "title": "讲义"},
        token_from=f"/lectures/sessions/{session.id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "只能上传 PDF、PPTX、DOCX、PNG、JPG 文件" in response.get_data(as_text=True)


def test_upload_and_delete_through_the_pages(app, client, setting):
    _trainer, session, _speaker, _cadre = setting
    login(client, "daoshi")
    response = post_form(
        client,
        f"/lectures/sessions/{session.id}/materials",
        {"file": (io.BytesIO(office("docx")), "提纲.docx")},
        token_from=f"/lectures/sessions/{session.id}",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "提纲" in response.get_data(as_text=True)
    stored = [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]
    assert len(stored) == 1
    from learn.lectures.models import Material

    material_id = db.session.scalars(db.select(Material.id)).one()
    other = app.test_client()
    login(other, "xueyuan")
    refused = post_form(
        other,
        f"/lectures/materials/{material_id}/delete",
        token_from=f"/lectures/sessions/{session.id}",
    )
    assert refused.status_code == 403
    post_form(
        client,
        f"/lectures/materials/{material_id}/delete",
        token_from=f"/lectures/sessions/{session.id}",
    )
    assert not any(p.is_file() for p in Path(app.config["UPLOADS_DIR"]).rglob("*"))
