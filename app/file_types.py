"""What a file really is, read from its first bytes (never from its name), and how it may be shown.

A pure module: bytes and names in, type names out. Uploads store the sniffed type and the download
path sniffs again, so a file whose name or stored type lies (`photo.png` holding HTML, an old row
saying `text/html`) is never shown inline as anything active.
"""

from __future__ import annotations

HEAD_BYTES = 8192
OCTET_STREAM = "application/octet-stream"
PLAIN_TEXT = "text/plain"
HTML = "text/html"

# (magic bytes at offset 0, type); WebP and MP4 need a second look below.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"PK\x05\x06", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"{\\rtf", "application/rtf"),
    (b"ID3", "audio/mpeg"),
)
_MARKUP = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<?xml",
    b"<xsl",
    b"<object",
    b"<embed",
    b"<img",
    b"<a ",
    b"<style",
    b"<meta",
    b"<link",
    b"<form",
    b"<div",
)

# Shown in the browser: raster images (never SVG), PDF and plain text. Everything else downloads.
INLINE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", PLAIN_TEXT}
)
# Types that carry no script, so a download may keep them; anything else goes out as octet-stream.
DOWNLOAD_TYPES = INLINE_TYPES | {
    "application/zip",
    "application/x-ole-storage",
    "application/rtf",
    "audio/mpeg",
    "video/mp4",
}

# The name's extension may only confirm what the content says: a file is shown inline when both agree.
# Any raster image agrees with any image extension (a renamed photo is still a harmless photo).
_RASTER = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_EXTENSION_TYPES = {
    "png": _RASTER,
    "jpg": _RASTER,
    "jpeg": _RASTER,
    "gif": _RASTER,
    "webp": _RASTER,
    "pdf": frozenset({"application/pdf"}),
    "txt": frozenset({PLAIN_TEXT}),
}
# Extensions whose content has a signature: an upload under one of them must carry it.
SIGNED_EXTENSIONS = frozenset(_EXTENSION_TYPES) - {"txt"}


def sniff(head: bytes) -> str:
    """The type of a file from its first bytes (HEAD_BYTES are enough); unknown → octet-stream."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    """UTF-8 text without control characters is plain text, unless it holds markup a browser runs."""
    if not head:
        return OCTET_STREAM
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the head is still text.
        if error.start < len(head) - 3:
            return OCTET_STREAM
        text = head[: error.start].decode("utf-8")
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return OCTET_STREAM
    lowered = text.lstrip("\ufeff").lower().encode("utf-8")
    if any(tag in lowered for tag in _MARKUP):
        return HTML
    return PLAIN_TEXT


def extension_agrees(extension: str, sniffed: str) -> bool:
    """Whether the name's extension names the sniffed type (`pdf` and a PDF, `txt` and text)."""
    return sniffed in _EXTENSION_TYPES.get(extension.lower(), frozenset())


def content_matches_extension(extension: str, sniffed: str) -> bool:
    """False when the name promises an image or a PDF and the content is something else."""
    return extension.lower() not in SIGNED_EXTENSIONS or extension_agrees(extension, sniffed)


def disposition(extension: str, sniffed: str) -> tuple[str, bool]:
    """(Content-Type to send, inline?): inline only when the content is on the inline list and the
    name agrees; otherwise an attachment, keeping the type only when it carries no script."""
    inline = sniffed in INLINE_TYPES and extension_agrees(extension, sniffed)
    kind = sniffed if sniffed in DOWNLOAD_TYPES else OCTET_STREAM
    if kind == PLAIN_TEXT:
        kind = "text/plain; charset=utf-8"
    return kind, inline
