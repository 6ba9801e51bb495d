"""Every user-facing string has a Russian translation (Russian is the default language)."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "N_": None,
}
METHOD_MAP = [
    ("app/**.py", "python"),
    ("courses/**.py", "python"),
    ("contest_engine/**.py", "python"),
    ("community/**.py", "python"),
    ("monitoring/**.py", "python"),
    ("templates/**.html", "jinja2"),
]


def _wanted_directory(path: str) -> bool:
    """Babel's default skips every folder starting with "_", which would hide templates/_macros."""
    name = os.path.basename(path)
    return not name.startswith(".") and name not in {"__pycache__", "node_modules", "instance"}


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        directory_filter=_wanted_directory,
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _translated() -> dict[str, str]:
    translated: dict[str, str] = {}
    for po in sorted((ROOT / "translations").glob("*/ru/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale="ru")
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                for msgid in ids:
                    translated[msgid] = strings[0]
    return translated


def test_every_message_has_a_russian_translation() -> None:
    translated = _translated()
    missing = {msgid: where for msgid, where in _extracted().items() if msgid not in translated}
    listing = "\n".join(
        f"{where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda kv: kv[1])
    )
    assert not missing, f"{len(missing)} strings have no Russian translation:\n{listing}"
