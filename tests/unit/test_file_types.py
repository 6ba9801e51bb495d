"""What a file is, from its bytes; and how it may be shown (inline only for passive types whose
name agrees with the content)."""

from __future__ import annotations

import pytest

from app.file_types import content_matches_extension, disposition, sniff

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "application/x-ole-storage"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        (b"ID3\x03\x00", "audio/mpeg"),
        ("Сочинение ученика 7 «Б» класса\r\n".encode(), "text/plain"),
        ("alert(document.cookie); // скрипт".encode(), "text/plain"),
        (b"<!DOCTYPE html><script>fetch('/admin')</script>", "text/html"),
        (b"\xef\xbb\xbf  <HTML><body onload=x()>", "text/html"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "text/html"),
        (b"hello <svg/onload=alert(1)>", "text/html"),
        (b"MZ\x90\x00\x03\x00", "application/octet-stream"),
        (b"", "application/octet-stream"),
        ("Текст".encode()[:-1], "text/plain"),  # a character cut by the end of the head
    ],
)
def test_sniff_reads_the_content_not_the_name(head: bytes, expected: str) -> None:
    assert sniff(head) == expected


@pytest.mark.parametrize(
    ("extension", "sniffed", "served", "inline"),
    [
        ("png", "image/png", "image/png", True),
        ("JPG", "image/jpeg", "image/jpeg", True),
        ("pdf", "application/pdf", "application/pdf", True),
        ("txt", "text/plain", "text/plain; charset=utf-8", True),
        ("png", "text/html", "application/octet-stream", False),  # "image.png" holding HTML
        ("html", "text/html", "application/octet-stream", False),
        ("js", "text/plain", "text/plain; charset=utf-8", False),  # the name never raises a file to inline
        ("csv", "text/plain", "text/plain; charset=utf-8", False),
        ("svg", "text/html", "application/octet-stream", False),
        ("pdf", "image/png", "image/png", False),  # name and content disagree: download
        ("jpg", "image/png", "image/png", True),  # any raster image under any image name
        ("docx", "application/zip", "application/zip", False),
        ("exe", "application/octet-stream", "application/octet-stream", False),
    ],
)
def test_disposition_is_inline_only_for_passive_content_whose_name_agrees(
    extension: str, sniffed: str, served: str, inline: bool
) -> None:
    assert disposition(extension, sniffed) == (served, inline)


@pytest.mark.parametrize(
    ("extension", "sniffed", "ok"),
    [
        ("png", "image/png", True),
        ("png", "text/html", False),
        ("jpeg", "image/png", True),  # a renamed photo is still a photo
        ("gif", "application/pdf", False),
        ("pdf", "text/plain", False),
        ("docx", "text/plain", True),  # no signature demanded of office files
        ("txt", "text/html", True),  # text may hold markup; it is served as a download then
    ],
)
def test_content_must_be_what_an_image_or_pdf_name_promises(extension: str, sniffed: str, ok: bool) -> None:
    assert content_matches_extension(extension, sniffed) is ok
