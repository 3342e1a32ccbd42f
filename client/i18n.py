"""Translation for every layer, without Qt.

The catalogue of a language is every ``resources/translations/<lang>/*.ts`` file
(Qt Linguist XML, one file per area so that work in parallel does not collide;
translators use the usual tools and the UI can also load the compiled ``.qm``).
English is the source language.  Protocol and CLI code only *mark* strings with ``N_()``;
they are translated when shown, so switching the language needs no restart and
logs stay in English.
"""

from __future__ import annotations

import locale
import os
from functools import lru_cache
from pathlib import Path

from defusedxml import ElementTree

from client.resources import resource_path

SUPPORTED_LANGUAGES = ("de", "en")
CONTEXT = "Treffpunkt"

_language = "en"


def N_(text: str) -> str:
    """Mark ``text`` for translation without translating it now."""
    return text


def system_language() -> str:
    """The user's language if we speak it, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            if code in SUPPORTED_LANGUAGES:
                return code
            if code not in ("", "c", "posix"):
                return "en"
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in SUPPORTED_LANGUAGES else "en"


def set_language(language: str) -> str:
    """Switch the language (``de``, ``en`` or ``system``); returns the one in force."""
    global _language
    _language = system_language() if language in ("", "system") else language
    if _language not in SUPPORTED_LANGUAGES:
        _language = "en"
    return _language


def current_language() -> str:
    return _language


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for path in sorted(resource_path("translations", language).glob("*.ts")):
        result.update(load_ts(path))
    return result


def load_ts(path: Path) -> dict[str, str]:
    """Source text → translation for the Treffpunkt context of a Qt .ts file."""
    tree = ElementTree.parse(path, forbid_dtd=False)  # .ts files start with <!DOCTYPE TS>
    result: dict[str, str] = {}
    for context in tree.getroot().iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None:
                continue
            if translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if translation.text:
                result[source] = translation.text
    return result


def _(text: str, language: str | None = None) -> str:
    """Translate a marked string into the current (or given) language."""
    lang = language or _language
    if lang == "en":
        return text
    return _catalogue(lang).get(text, text)


def reload_catalogues() -> None:
    _catalogue.cache_clear()


set_language("system")
