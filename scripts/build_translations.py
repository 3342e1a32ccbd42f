#!/usr/bin/env python3
"""Keep the translation catalogues in step with the code, and compile them.

    build_translations.py            compile resources/translations/<lang>/*.ts into
                                     resources/translations/treffpunkt_<lang>.qm
    build_translations.py --update   add every string marked in client/ with N_(), _()
                                     or tr() that no catalogue has yet to
                                     <lang>/unsorted.ts (as "unfinished")
    build_translations.py --check    exit 1 if a marked string has no German text

English is the source language.  Each area keeps its own catalogue file
(<lang>/meeting.ts, <lang>/ui.ts, ...) so parallel work does not collide; all
files of a language are one catalogue.  client/i18n.py reads the .ts files
directly; the UI may also load the compiled .qm through QTranslator.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import ElementTree as SafeET

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
CONTEXT = "Treffpunkt"
LANGUAGES = {"de": "de_DE"}
MARKERS = {"N_", "_", "tr", "translate"}


def marked_strings() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted((ROOT / "client").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            if name not in MARKERS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                found.setdefault(arg.value, None)
    return list(found)


def read_language(language: str) -> dict[str, tuple[str, str | None]]:
    result: dict[str, tuple[str, str | None]] = {}
    for path in sorted((TRANSLATIONS / language).glob("*.ts")):
        for source, entry in read_catalogue(path).items():
            if source not in result or (entry[0] and entry[1] is None):
                result[source] = entry
    return result


def read_catalogue(path: Path) -> dict[str, tuple[str, str | None]]:
    """source → (translation text, type attribute)."""
    if not path.exists():
        return {}
    root = SafeET.parse(path, forbid_dtd=False).getroot()
    result = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source")
            tr = message.find("translation")
            if source is not None:
                result[source] = ((tr.text or "") if tr is not None else "",
                                  tr.get("type") if tr is not None else "unfinished")
    return result


def write_catalogue(path: Path, language: str, entries: dict[str, tuple[str, str | None]]) -> None:
    root = ET.Element("TS", version="2.1", language=LANGUAGES[language])
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source, (text, kind) in entries.items():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        tr = ET.SubElement(message, "translation")
        tr.text = text
        if kind:
            tr.set("type", kind)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def update() -> None:
    strings = marked_strings()
    for language in LANGUAGES:
        known = read_language(language)
        path = TRANSLATIONS / language / "unsorted.ts"
        unsorted = read_catalogue(path)
        for source in strings:
            if source not in known:
                unsorted[source] = ("", "unfinished")
        if unsorted:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_catalogue(path, language, unsorted)


def missing(language: str = "de") -> list[str]:
    catalogue = read_language(language)
    return [s for s in marked_strings()
            if not catalogue.get(s, ("", "unfinished"))[0]
            or catalogue[s][1] in ("unfinished", "obsolete")]


def compile_all() -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    if not Path(lrelease).exists():
        print("build_translations: pyside6-lrelease not found; .qm files not built", file=sys.stderr)
        return
    for language in LANGUAGES:
        sources = sorted((TRANSLATIONS / language).glob("*.ts"))
        qm = TRANSLATIONS / f"treffpunkt_{language}.qm"
        if not sources:
            continue
        if qm.exists() and all(qm.stat().st_mtime >= ts.stat().st_mtime for ts in sources):
            continue
        subprocess.run([lrelease, "-silent", *map(str, sources), "-qm", str(qm)], check=True)


def main(argv: list[str]) -> int:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    if "--update" in argv:
        update()
    if "--check" in argv:
        gaps = missing()
        for s in gaps:
            print(f"untranslated (de): {s!r}")
        return 1 if gaps else 0
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
