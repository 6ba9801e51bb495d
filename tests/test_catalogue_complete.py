"""The Russian catalogue is complete: no English interface string can reach the Russian UI.

Every msgid that `pybabel extract -F babel.cfg` would find in the code and templates (Babel's own
extractor, run here in-process with babel.cfg's mapping) needs a Russian translation in one of the
merged catalogues (translations/*/ru/LC_MESSAGES/messages.po, as Flask-Babel merges them); and every
Russian entry must be usable: not empty, not fuzzy (gettext ignores those and shows the English), all
three Russian plural forms, the same %(name)s placeholders as its msgid. Each test lists what it found.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "translations").glob("*/ru/LC_MESSAGES/messages.po"))
# Babel's defaults (_, gettext, ngettext, N_, …) and the project's lazy names (app.i18n, the forms).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_": None, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
RUSSIAN_PLURALS = 3


def _wanted_directory(path: str) -> bool:
    """Babel's default filter skips folders starting with "_" or ".", which would hide templates/_macros."""
    name = os.path.basename(path)
    return not name.startswith(".") and name not in {"__pycache__", "node_modules", "instance"}


def _extracted() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → where it is first used, for every singular and plural msgid in babel.cfg's
    files (pgettext's context kept: the audit log's sentences differ by the actor's gender)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    for pattern, method in method_map:
        if method == "jinja2":  # `{% trans %}` blocks and `_()` calls in templates
            options_map.setdefault(pattern, {}).setdefault("extensions", "jinja2.ext.i18n")
    found: dict[tuple[str | None, str], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_wanted_directory
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


def _catalogue(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, locale="ru")


def _strings(message: object) -> tuple[str, ...]:
    string = getattr(message, "string", "")
    return string if isinstance(string, tuple) else (string,)


def _usable(message: object) -> bool:
    return not getattr(message, "fuzzy", False) and all(_strings(message))


def _translated() -> set[tuple[str | None, str]]:
    """Every (context, msgid), singular and plural, with a usable Russian entry in any catalogue."""
    known: set[tuple[str | None, str]] = set()
    for po in CATALOGUES:
        for message in _catalogue(po):
            if message.id and _usable(message):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                known.update((message.context, str(msgid)) for msgid in ids)
    return known


def test_the_catalogues_are_found() -> None:
    names = {po.parts[-4] for po in CATALOGUES}
    assert {"app", "courses", "contests", "editor"} <= names, names


def test_every_msgid_in_code_and_templates_has_a_russian_translation() -> None:
    extracted = _extracted()
    assert (None, "Bold (Ctrl+B)") in extracted  # the extractor reached templates/_markdown_editor.html
    assert any(where.startswith("templates/_macros/") for where in extracted.values())  # and "_" folders
    translated = _translated()
    # N_() marks a msgid whose context (the actor's gender) is chosen when it is shown, so a msgid found
    # without a context is satisfied by an entry under any context; pgettext's literal context must match.
    any_context = {msgid for _context, msgid in translated}
    missing = sorted(
        (where, (context, msgid))
        for (context, msgid), where in extracted.items()
        if (context, msgid) not in translated and (context is not None or msgid not in any_context)
    )
    listing = "\n".join(
        f"  {where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for where, (context, msgid) in missing
    )
    assert not missing, (
        f"{len(missing)} msgids have no Russian translation (add them to your catalogue):\n{listing}"
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-4])
def test_no_russian_entry_is_empty_or_fuzzy(po: Path) -> None:
    catalogue = _catalogue(po)
    assert catalogue.num_plurals == RUSSIAN_PLURALS, f"{po}: the header's Plural-Forms is not Russian"
    bad = []
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            bad.append(f"  line {message.lineno}: fuzzy {message.id!r}")
        elif not all(_strings(message)):
            bad.append(f"  line {message.lineno}: empty {message.id!r}")
    assert not bad, (
        f"{po.relative_to(ROOT)}: {len(bad)} entries gettext would show in English:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-4])
def test_plural_forms_and_placeholders_match_their_msgid(po: Path) -> None:
    """Babel's own checks: a missing plural form or a %(name)s the code does not pass breaks a page."""
    problems = [
        f"  line {message.lineno}: {message.id!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in _catalogue(po).check()
    ]
    assert not problems, f"{po.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_no_msgid_is_translated_two_ways() -> None:
    """The app merges every catalogue into one, so a msgid two rooms translate differently would
    read as whichever loads last; a room that means something else asks with its own msgid."""
    seen: dict[tuple[str | None, str], dict[str, tuple[str, ...]]] = {}
    for po in CATALOGUES:
        for message in _catalogue(po):
            if message.id and _usable(message):
                key = (message.context, _msgid(message))
                seen.setdefault(key, {})[po.parts[-4]] = _strings(message)
    clashes = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert not clashes, "\n".join(f"{key[1]!r}: {found}" for key, found in clashes.items())


def _msgid(message: object) -> str:
    ident = message.id  # type: ignore[attr-defined]
    return ident if isinstance(ident, str) else ident[0]
