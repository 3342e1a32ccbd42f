"""Switching the language while the app runs.

Our own strings go through ``client.i18n`` (the .ts catalogues); Qt's standard
texts (OK/Cancel buttons, context menus) come from Qt's own ``qtbase_de.qm``.
A switch sets both and then calls ``retranslate()`` on every widget that has
one, so visible windows change at once, without a restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from client import i18n

log = logging.getLogger("treffpunkt.ui")


class LanguageManager:
    """Owns the Qt translator; ``apply('system' | 'de' | 'en')``."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._qt_translator: QTranslator | None = None
        self.language = i18n.current_language()

    def apply(self, setting: str) -> str:
        language = i18n.set_language(setting)
        self.language = language
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if language != "en":
            translator = QTranslator(self._app)
            directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{language}", directory):
                self._app.installTranslator(translator)
                self._qt_translator = translator
            else:
                log.info("no Qt translation for %s in %s", language, directory)
        QLocale.setDefault(QLocale(language))
        retranslate_all()
        return language


def retranslate_all(root: QWidget | None = None) -> None:
    """Call ``retranslate()`` on every widget (below ``root``) that has one."""
    widgets = root.findChildren(QWidget) + [root] if root is not None else QApplication.allWidgets()
    for widget in widgets:
        method = getattr(widget, "retranslate", None)
        if callable(method):
            method()
