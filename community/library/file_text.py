"""Plain text of an uploaded file for the search index: PDF (pypdf), DOCX and PPTX (the XML inside the
zip, parsed with defusedxml), plain text. Bounded so a hostile file cannot stall the upload request:
at most MAX_PAGES pages or slides, MAX_XML_BYTES of XML, MAX_CHARS characters of text; and it never
raises — a file it cannot read is simply not indexed ("")."""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator

from defusedxml import ElementTree
from pypdf import PdfReader

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
MAX_XML_BYTES = 20 * 1024 * 1024  # uncompressed, per zip member: a zip bomb is refused unread
MAX_CHARS = 100_000

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

log = logging.getLogger(__name__)


def extract_text(data: bytes, content_type: str) -> str:
    """The readable text of a PDF, DOCX, PPTX or plain-text file ("" for other types or unreadable
    files), whitespace tidied, at most MAX_CHARS characters."""
    if not data or len(data) > MAX_INPUT_BYTES:
        return ""
    kind = (content_type or "").split(";")[0].strip().lower()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == PDF or data.startswith(b"%PDF-"):
                return _tidy(_pdf(data))
            if kind == DOCX:
                return _tidy(_docx(data))
            if kind == PPTX:
                return _tidy(_pptx(data))
            if kind == TEXT:
                return _tidy(data[: MAX_CHARS * 4].decode("utf-8", errors="ignore"))
    except Exception as error:  # a broken or hostile file is not indexed; the upload itself goes on
        log.info("no text from a %s file: %s", kind, type(error).__name__)
    return ""


def _bounded(parts: Iterator[str]) -> str:
    """Join text pieces until MAX_CHARS is reached; later pages or paragraphs are never read."""
    taken: list[str] = []
    size = 0
    for part in parts:
        taken.append(part)
        size += len(part) + 1
        if size >= MAX_CHARS:
            break
    return "\n".join(taken)[:MAX_CHARS]


def _pdf(data: bytes) -> str:
    return _bounded(_pdf_pages(data))


def _pdf_pages(data: bytes) -> Iterator[str]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # hostile files make it chatty
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            return
        yield page.extract_text() or ""


def _zip_xml(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise ValueError("zip member too large")
    with archive.open(info) as handle:
        return handle.read(MAX_XML_BYTES + 1)[:MAX_XML_BYTES]


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(_zip_xml(archive, "word/document.xml"))
    return _bounded(_paragraphs(root, _W + "p", _W + "t"))


def _pptx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        slides = sorted(
            (int(match.group(1)), name)
            for name in archive.namelist()
            if (match := _SLIDE.match(name)) is not None
        )[:MAX_PAGES]
        texts = []
        for _, name in slides:
            root = ElementTree.fromstring(_zip_xml(archive, name))
            texts.append("\n".join(_paragraphs(root, _A + "p", _A + "t")))
    return _bounded(iter(texts))


def _paragraphs(root: object, paragraph_tag: str, text_tag: str) -> Iterator[str]:
    for paragraph in root.iter(paragraph_tag):  # type: ignore[attr-defined]
        text = "".join(node.text or "" for node in paragraph.iter(text_tag))
        if text.strip():
            yield text


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").splitlines())
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()[:MAX_CHARS]
