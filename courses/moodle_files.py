"""Moodle course restore: the backup's files (files.xml and `files/<hash[:2]>/<hash>`) brought in
through the upload rules — a file item's file as any file item's, a picture in a text as a course
image (`CourseAsset`) with its `@@PLUGINFILE@@` address rewritten to ours.

Only the files the course uses are unpacked, in one pass over the archive. A file the rules refuse
(an HTML page, a program, a picture that is not one) is left out and reported, never stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from app.extensions import db
from app.i18n import _
from app.uploads import StoredFile, UploadError, UploadRules, check_data, store_checked
from courses.files import ASSET_RULES, ITEM_FILE_RULES
from courses.models import Course, CourseAsset
from courses.moodle_archive import MoodleArchive
from courses.moodle_backup_read import FileEntry

PLUGINFILE = re.compile(r"@@PLUGINFILE@@(/[^\"'<>\s)]*)")
# The file areas a restore reads: texts' pictures and the files of file resources and folders.
USED_AREAS = frozenset(
    {
        ("course", "summary"),
        ("course", "section"),
        ("mod_page", "content"),
        ("mod_page", "intro"),
        ("mod_label", "intro"),
        ("mod_url", "intro"),
        ("mod_resource", "intro"),
        ("mod_resource", "content"),
        ("mod_folder", "intro"),
        ("mod_folder", "content"),
        ("mod_assign", "intro"),
        ("mod_quiz", "intro"),
        ("question", "questiontext"),
        ("question", "generalfeedback"),
    }
)

Report = Callable[[str, str], None]


@dataclass
class MoodleFiles:
    """The backup's files by place, their bytes once fetched, and what each became here."""

    entries: list[FileEntry]
    data: dict[str, bytes] = field(default_factory=dict)
    stored: dict[tuple[str, str], StoredFile] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)

    def fetch(self, archive: MoodleArchive) -> None:
        wanted = {e.member for e in self.entries if (e.component, e.filearea) in USED_AREAS}
        self.data = archive.files(wanted, ITEM_FILE_RULES.max_bytes + 1)

    def area(
        self, context_id: int, component: str, filearea: str, itemid: int | None = None
    ) -> list[FileEntry]:
        """The files of one place, in Moodle's order (folder path, then name)."""
        return sorted(
            (
                e
                for e in self.entries
                if e.context_id == context_id
                and e.component == component
                and e.filearea == filearea
                and (itemid is None or e.itemid == itemid)
            ),
            key=lambda e: (e.filepath, e.filename),
        )

    def store(
        self, entry: FileEntry, rules: UploadRules, actor_id: int, what: str, report: Report
    ) -> StoredFile | None:
        """The file through `rules` (once per content and rules); None, reported, when refused."""
        key = (entry.member, "asset" if rules is ASSET_RULES else "file")
        if key in self.stored:
            return self.stored[key]
        content = self.data.get(entry.member)
        if content is None:
            report(what, _("The file “%(name)s” is missing from the archive.", name=entry.filename))
            return None
        try:
            checked = check_data(entry.filename, content, rules)
        except UploadError as error:
            report(what, _("Not carried over: %(problem)s", problem=str(error)))
            return None
        self.stored[key] = store_checked(checked, actor_id)
        return self.stored[key]

    def relink(
        self,
        body: str,
        course: Course,
        place: tuple[int, str, str, int | None],
        actor_id: int,
        what: str,
        report: Report,
    ) -> str:
        """The text with each `@@PLUGINFILE@@/…` picture of its place replaced by a course image."""
        if "@@PLUGINFILE@@" not in body:
            return body
        by_path = {f"{e.filepath}{e.filename}": e for e in self.area(*place)}

        def replace(match: re.Match[str]) -> str:
            path = unquote(match.group(1).split("?", 1)[0])
            entry = by_path.get(path)
            if entry is None:
                report(
                    what, _("The file “%(name)s” is missing from the archive.", name=path.rsplit("/", 1)[-1])
                )
                return "#"
            if entry.member in self.assets:
                return self.assets[entry.member]
            stored = self.store(entry, ASSET_RULES, actor_id, what, report)
            if stored is None:
                return "#"
            db.session.flush()
            asset = CourseAsset(course_id=course.id, file_id=stored.id)
            db.session.add(asset)
            db.session.flush()
            self.assets[entry.member] = f"/courses/{course.id}/assets/{asset.id}"
            return self.assets[entry.member]

        return PLUGINFILE.sub(replace, body)
