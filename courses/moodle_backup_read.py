"""Moodle course backup, pure reading: the XML documents of an `.mbz` (Moodle 2.x–4.x) as plain
dataclasses — the manifest, the course, its sections, each activity's module and content, the files.

Element names follow Moodle's backup steps (backup/moodle2/backup_stepslib.php and each
mod/*/backup/moodle2/backup_*_stepslib.php). Moodle writes a database NULL as `$@NULL@$`; it is read
as empty here. XML is parsed with defusedxml (no entities, no external references). A document
that cannot be read raises MoodleReadError with a code and the document's path, never a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

NULL = "$@NULL@$"


class MoodleReadError(ValueError):
    """A document of the backup cannot be read: `code` says why, `path` which document."""

    def __init__(self, code: str, path: str) -> None:
        super().__init__(f"{code}: {path}")
        self.code = code
        self.path = path


def unsafe_name(name: str) -> bool:
    """A member path that would leave the archive's folder if unpacked (Moodle writes none)."""
    path = name.replace("\\", "/")
    return path.startswith("/") or ":" in path.split("/", 1)[0] or ".." in path.split("/")


def parse(data: bytes, path: str, root: str) -> Element:
    """The document's root element, which must be named `root`."""
    try:
        element: Element = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise MoodleReadError("bad_xml", path) from None
    if element.tag != root:
        raise MoodleReadError("unexpected_root", path)
    return element


def text(element: Element | None, name: str, default: str = "") -> str:
    """A child's text (Moodle's NULL and a missing child give the default)."""
    found = element.find(name) if element is not None else None
    value = found.text if found is not None and found.text is not None else default
    return default if value == NULL else value


def ident(raw: str | None) -> int:
    """An id attribute as a number (0 when missing or not a number)."""
    try:
        return int(raw or 0)
    except ValueError:
        return 0


def number(element: Element | None, name: str, default: int = 0) -> int:
    raw = text(element, name).strip()
    try:
        return int(float(raw)) if raw else default
    except (ValueError, OverflowError):
        return default


@dataclass(frozen=True)
class ActivityRef:
    """An activity as the manifest lists it: its course module id, type, title and folder."""

    module_id: int
    modname: str
    title: str
    directory: str
    section_id: int


@dataclass(frozen=True)
class Manifest:
    """moodle_backup.xml: what the backup holds and which Moodle wrote it."""

    release: str
    backup_type: str
    course_title: str
    sections: tuple[tuple[int, str], ...]  # (section id, folder)
    activities: tuple[ActivityRef, ...]
    settings: dict[str, str] = field(default_factory=dict)


def read_manifest(data: bytes) -> Manifest:
    root = parse(data, "moodle_backup.xml", "moodle_backup")
    info = root.find("information")
    if info is None:
        raise MoodleReadError("no_information", "moodle_backup.xml")
    contents = info.find("contents")
    activities = tuple(
        ActivityRef(
            module_id=number(a, "moduleid"),
            modname=text(a, "modulename"),
            title=text(a, "title"),
            directory=text(a, "directory").strip("/"),
            section_id=number(a, "sectionid"),
        )
        for a in (contents.findall("activities/activity") if contents is not None else [])
    )
    sections = tuple(
        (number(s, "sectionid"), text(s, "directory").strip("/"))
        for s in (contents.findall("sections/section") if contents is not None else [])
    )
    settings = {
        text(s, "name"): text(s, "value")
        for s in info.findall("settings/setting")
        if text(s, "level") == "root"
    }
    return Manifest(
        release=text(info, "moodle_release") or text(info, "backup_release"),
        backup_type=text(info, "details/detail/type", "course"),
        course_title=text(info, "original_course_fullname"),
        sections=sections,
        activities=activities,
        settings=settings,
    )


@dataclass(frozen=True)
class CourseInfo:
    fullname: str
    shortname: str
    summary: str
    start: int  # Unix seconds, 0 when unset
    end: int
    context_id: int


def read_course(data: bytes) -> CourseInfo:
    root = parse(data, "course/course.xml", "course")
    return CourseInfo(
        fullname=text(root, "fullname"),
        shortname=text(root, "shortname"),
        summary=text(root, "summary"),
        start=number(root, "startdate"),
        end=number(root, "enddate"),
        context_id=ident(root.get("contextid")),
    )


@dataclass(frozen=True)
class Section:
    id: int
    number: int
    name: str
    summary: str
    visible: bool
    sequence: tuple[int, ...]
    restricted: bool  # carries access restrictions (availability)
    delegated: str  # the plugin owning a delegated section (Moodle 4.5 subsections), else ""


def _restricted(raw: str) -> bool:
    """Moodle's availability JSON restricts something when it lists conditions."""
    cleaned = raw.replace(" ", "")
    return bool(cleaned) and '"c":[]' not in cleaned


def read_section(data: bytes, path: str) -> Section:
    root = parse(data, path, "section")
    sequence = tuple(int(part) for part in text(root, "sequence").split(",") if part.strip().isdecimal())
    return Section(
        id=ident(root.get("id")),
        number=number(root, "number"),
        name=text(root, "name").strip(),
        summary=text(root, "summary"),
        visible=text(root, "visible", "1") != "0",
        sequence=sequence,
        restricted=_restricted(text(root, "availabilityjson")),
        delegated=text(root, "component"),
    )


@dataclass(frozen=True)
class ModuleInfo:
    """module.xml: how the activity sits in the course (visibility, completion, restrictions)."""

    visible: bool
    completion: int  # 0 none, 1 manual, 2 automatic
    completion_view: bool
    completion_grade: bool
    restricted: bool


def read_module(data: bytes, path: str) -> ModuleInfo:
    root = parse(data, path, "module")
    return ModuleInfo(
        visible=text(root, "visible", "1") != "0",
        completion=number(root, "completion"),
        completion_view=text(root, "completionview") == "1",
        completion_grade=text(root, "completiongradeitemnumber") != "",
        restricted=_restricted(text(root, "availability")),
    )


@dataclass(frozen=True)
class Activity:
    """An activity's own document (`<modname>.xml`): its context and the fields of its element."""

    modname: str
    context_id: int
    fields: dict[str, str]
    element: Element  # the `<modname>` element, for the types with nested parts (assign, quiz)


def read_activity(data: bytes, path: str, modname: str) -> Activity:
    root = parse(data, path, "activity")
    element = root.find(modname)
    if element is None:
        raise MoodleReadError("no_activity", path)
    fields = {child.tag: text(element, child.tag) for child in element if len(child) == 0}
    return Activity(modname=modname, context_id=ident(root.get("contextid")), fields=fields, element=element)


@dataclass(frozen=True)
class FileEntry:
    """One file of files.xml; its content is the archive member `files/<hash[:2]>/<hash>`."""

    id: int
    contenthash: str
    context_id: int
    component: str
    filearea: str
    itemid: int
    filepath: str
    filename: str
    size: int
    sortorder: int = 0  # a resource's main file has the highest

    @property
    def member(self) -> str:
        return f"files/{self.contenthash[:2]}/{self.contenthash}"


def read_files(data: bytes) -> list[FileEntry]:
    """The real files (not the "." entries Moodle writes for folders) with a plausible content hash."""
    root = parse(data, "files.xml", "files")
    entries = []
    for entry in root.findall("file"):
        name, digest = text(entry, "filename"), text(entry, "contenthash").strip().lower()
        if name in ("", ".") or len(digest) != 40 or not all(c in "0123456789abcdef" for c in digest):
            continue
        entries.append(
            FileEntry(
                id=ident(entry.get("id")),
                contenthash=digest,
                context_id=number(entry, "contextid"),
                component=text(entry, "component"),
                filearea=text(entry, "filearea"),
                itemid=number(entry, "itemid"),
                filepath=text(entry, "filepath", "/") or "/",
                filename=name,
                size=number(entry, "filesize"),
                sortorder=number(entry, "sortorder"),
            )
        )
    return entries
