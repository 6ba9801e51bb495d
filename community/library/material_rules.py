"""Library: what a material may hold — pure rules for its fields, links and files (plain values in,
clean values out, a RuleError with a code and a field otherwise)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from community.rules import RuleError

TITLE_MAX = 300
SUMMARY_MAX = 20_000
LINKS_MAX = 20
LINK_URL_MAX = 2_000
LINK_TITLE_MAX = 300
FILES_MAX = 20
GRADES = range(1, 12)
KINDS = (
    "lesson_plan",
    "presentation",
    "worksheet",
    "test",
    "event_scenario",
    "article",
    "video",
    "other",
)

MB = 1024 * 1024
# The file families a teacher shares, with the largest file of each: a slide deck with photos is
# heavier than a worksheet, and an archive of a whole lesson is the heaviest.
FAMILIES: dict[str, tuple[frozenset[str], int]] = {
    "document": (frozenset({"doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv"}), 20 * MB),
    "presentation": (frozenset({"ppt", "pptx", "odp"}), 50 * MB),
    "pdf": (frozenset({"pdf"}), 30 * MB),
    "image": (frozenset({"png", "jpg", "jpeg", "gif", "webp"}), 10 * MB),
    "archive": (frozenset({"zip", "rar", "7z"}), 50 * MB),
}
EXTENSIONS = frozenset(ext for extensions, _limit in FAMILIES.values() for ext in extensions)
LARGEST_FILE = max(limit for _extensions, limit in FAMILIES.values())

# What the content of each extension must look like (the sniffed type, or the first bytes where
# the sniffer has no name for it): a `.docx` holding HTML is refused, not stored.
_ZIP = "application/zip"
_OLE = "application/x-ole-storage"
_TEXT = "text/plain"
_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_CONTENT: dict[str, frozenset[str]] = {
    **{ext: frozenset({_ZIP}) for ext in ("docx", "xlsx", "pptx", "odt", "ods", "odp", "zip")},
    **{ext: frozenset({_OLE}) for ext in ("doc", "xls", "ppt")},
    "rtf": frozenset({"application/rtf"}),
    "txt": frozenset({_TEXT}),
    "csv": frozenset({_TEXT}),
    "pdf": frozenset({"application/pdf"}),
    **{ext: _IMAGES for ext in ("png", "jpg", "jpeg", "gif", "webp")},
}
_MAGIC = {"rar": (b"Rar!\x1a\x07",), "7z": (b"7z\xbc\xaf\x27\x1c",)}


def clean_title(title: str | None) -> str:
    value = " ".join((title or "").split())
    if not value:
        raise RuleError("required", "title")
    if len(value) > TITLE_MAX:
        raise RuleError("too_long", "title", limit=TITLE_MAX)
    return value


def clean_summary(summary: str | None) -> str:
    value = (summary or "").strip().replace("\r\n", "\n")
    if len(value) > SUMMARY_MAX:
        raise RuleError("too_long", "summary", limit=SUMMARY_MAX)
    return value


def clean_kind(kind: str | None) -> str:
    if kind not in KINDS:
        raise RuleError("material_bad_kind", "kind")
    return kind


def clean_grades(grades: Iterable[int]) -> list[int]:
    """Grades 1–11 without repeats, in order; none is allowed (an article on running a school)."""
    values = sorted(set(grades))
    for grade in values:
        if isinstance(grade, bool) or grade not in GRADES:
            raise RuleError("material_bad_grade", "grades", grade=grade)
    return values


def clean_subjects(subject_ids: Iterable[int], known: Iterable[int]) -> list[int]:
    """At least one subject, each one of the known ids."""
    values = sorted(set(subject_ids))
    if not values:
        raise RuleError("material_no_subjects", "subjects")
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise RuleError("material_unknown_subject", "subjects", ids=", ".join(map(str, unknown)))
    return values


def clean_link(url: str, title: str = "") -> dict[str, str]:
    """An http(s) address with a host, and an optional title."""
    url, title = url.strip(), " ".join(title.split())
    if len(url) > LINK_URL_MAX:
        raise RuleError("too_long", "links", limit=LINK_URL_MAX)
    if len(title) > LINK_TITLE_MAX:
        raise RuleError("too_long", "links", limit=LINK_TITLE_MAX)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise RuleError("material_bad_link", "links", url=url[:100]) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise RuleError("material_bad_link", "links", url=url[:100])
    return {"url": url, "title": title}


def clean_links(links: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    if len(links) > LINKS_MAX:
        raise RuleError("material_too_many_links", "links", limit=LINKS_MAX)
    return [clean_link(url, title) for url, title in links]


def parse_link_lines(text: str) -> list[tuple[str, str]]:
    """The form's links box: one link a line, the address first and then, optionally, its title."""
    links = []
    for line in (text or "").splitlines():
        url, _space, title = line.strip().partition(" ")
        if url:
            links.append((url, title))
    return links


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def size_limit(extension: str) -> int:
    """The largest file of this extension's family (0 for a type the library does not take)."""
    for extensions, limit in FAMILIES.values():
        if extension in extensions:
            return limit
    return 0


def check_file(name: str, size: int, sniffed: str, head: bytes) -> None:
    """One file: a type the library takes, under its family's limit, its content what its name says."""
    extension = extension_of(name)
    limit = size_limit(extension)
    if not limit:
        raise RuleError("material_file_type", "files", name=name, allowed=", ".join(sorted(EXTENSIONS)))
    if size > limit:
        raise RuleError("material_file_too_big", "files", name=name, limit=limit // MB)
    if not size:
        raise RuleError("material_file_empty", "files", name=name)
    if not _content_agrees(extension, sniffed, head):
        raise RuleError("material_file_content", "files", name=name, ext=extension.upper())


def check_file_count(count: int) -> None:
    if count > FILES_MAX:
        raise RuleError("material_too_many_files", "files", limit=FILES_MAX)


def check_submittable(kind: str, summary: str, files: int, links: int) -> None:
    """A version sent to moderation has something to read: a video material needs its link, any
    other needs a file, a link or a summary."""
    if kind == "video" and not links:
        raise RuleError("material_video_needs_link", "links")
    if not (summary or files or links):
        raise RuleError("material_empty", "summary")


def _content_agrees(extension: str, sniffed: str, head: bytes) -> bool:
    if extension in _MAGIC:
        return any(head.startswith(magic) for magic in _MAGIC[extension])
    return sniffed in _CONTENT.get(extension, frozenset())
