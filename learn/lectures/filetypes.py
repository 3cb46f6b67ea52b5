"""Recognise lecture materials by their content (magic bytes), never by the file name.

Accepted: PDF, PPTX, DOCX (Office Open XML: a ZIP whose parts say which it is),
PNG and JPEG. Anything else — an executable renamed to .pdf, an old binary
.doc, an SVG (which may carry script) — is refused. Pure: no Flask, no DB.
"""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    extension: str
    mimetype: str


PDF = FileType("pdf", "PDF 文档", "pdf", "application/pdf")
PPTX = FileType(
    "pptx",
    "PPT 演示文稿",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
DOCX = FileType(
    "docx",
    "Word 文档",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
PNG = FileType("png", "PNG 图片", "png", "image/png")
JPEG = FileType("jpg", "JPG 图片", "jpg", "image/jpeg")
ALL = {t.code: t for t in (PDF, PPTX, DOCX, PNG, JPEG)}
ACCEPTED_LABEL = "PDF、PPTX、DOCX、PNG、JPG"


def _office_type(stream: BinaryIO) -> FileType | None:
    # Only the directory is read: no member is decompressed, so a ZIP bomb costs nothing.
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "ppt/presentation.xml" in names:
        return PPTX
    if "word/document.xml" in names:
        return DOCX
    return None


def detect(stream: BinaryIO) -> FileType | None:
    """The accepted type ``stream`` really is, or None; the stream is rewound."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _office_type(stream)
        return None
    finally:
        stream.seek(0)
