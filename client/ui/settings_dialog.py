"""Settings: one form, built from a list of field descriptions.

Each field names its settings key, the kind of editor, an N_() label and help
text; the dialog makes the editor, fills it from the settings, and on OK hands
back only what changed.  Settings an administrator fixed are shown but locked.
Device pickers are filled asynchronously (listing devices may block).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from client.errors import AddressError
from client.i18n import N_, _
from client.meeting.address import parse_server_url
from client.ui import app_settings as keys
from client.ui.devices import DeviceInfo, DeviceLists


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: str                  # "server", "text", "bool", "choice", "device:<kind>"
    label: str                 # N_() marked
    help: str = ""             # N_() marked
    choices: tuple[tuple[str, str], ...] = ()   # (value, N_() label) for "choice"


#: settings the dialog does not show: lists it manages elsewhere (recent rooms: join screen)
HIDDEN_KEYS = frozenset({"privacy.recent_rooms"})
#: shown only when the administrator set them (then locked): the update check may only ask
#: an address from the admin preset (README "Updates"), so there is nothing for users to enter
ADMIN_ONLY_KEYS = frozenset({"updates.check_url"})


def fields_from_schema() -> tuple[FieldSpec, ...]:
    """One editor per setting of ``client.settings.schema``, in the schema's order."""
    try:
        from client.settings.schema import SETTINGS
    except ImportError:
        return FALLBACK_FIELDS
    fields = []
    for setting in SETTINGS:
        if setting.key in HIDDEN_KEYS:
            continue
        if setting.key.startswith("devices."):
            kind = "device:" + setting.key.split(".", 1)[1]
        elif setting.choices:
            kind = "choice"
        elif isinstance(setting.default, bool):
            kind = "bool"
        elif setting.key == keys.SERVER_URL:
            kind = "server"
        else:
            kind = "text"
        fields.append(FieldSpec(setting.key, kind, setting.label, setting.help,
                                tuple(setting.choices)))
    return tuple(fields)


FALLBACK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(keys.SERVER_URL, "server", N_("Server"),
              N_("Where room names without a full link are opened.")),
    FieldSpec(keys.DISPLAY_NAME, "text", N_("Your name"), N_("Shown to the others in a meeting.")),
    FieldSpec(keys.LANGUAGE, "choice", N_("Language"),
              choices=(("system", N_("Same as the system")), ("de", "Deutsch"), ("en", "English"))),
    FieldSpec(keys.START_AUDIO_MUTED, "bool", N_("Start with the microphone off")),
    FieldSpec(keys.START_VIDEO_MUTED, "bool", N_("Start with the camera off")),
    FieldSpec(keys.AUDIO_ONLY, "bool", N_("Audio only (no video, saves data)")),
    FieldSpec(keys.KEEP_RECENTS, "bool", N_("Remember recent rooms on this computer")),
    FieldSpec(keys.CAMERA, "device:camera", N_("Camera")),
    FieldSpec(keys.MICROPHONE, "device:microphone", N_("Microphone")),
    FieldSpec(keys.SPEAKER, "device:speaker", N_("Speaker")),
)


def _device_value(value: Any) -> DeviceInfo | None:
    if isinstance(value, DeviceInfo):
        return value
    if isinstance(value, dict) and ("id" in value or "label" in value):
        return DeviceInfo(str(value.get("id", "")), str(value.get("label", "")))
    if value is not None and hasattr(value, "label"):
        return DeviceInfo(str(getattr(value, "id", "")), str(value.label))
    return None


class SettingsDialog(QDialog):
    """``applied(dict)`` with the changed keys; ``clear_requested`` for "clear everything"."""

    applied = Signal(object)
    clear_requested = Signal()

    def __init__(self, settings: Any, *, fields: Sequence[FieldSpec] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._settings = settings
        self._fields = tuple(spec for spec in (fields if fields is not None
                                               else fields_from_schema())
                             if spec.key not in ADMIN_ONLY_KEYS or settings.is_locked(spec.key))
        self._editors: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._helps: dict[str, QLabel] = {}
        self._initial: dict[str, Any] = {}
        self._server_error = QLabel()
        self._server_error.setObjectName("errorText")
        self._server_error.setWordWrap(True)
        self._server_error.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # labels above their fields: long (German) labels and large text never squeeze the editors
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for spec in self._fields:
            editor = self._make_editor(spec)
            self._editors[spec.key] = editor
            value = settings.get(spec.key)
            self._initial[spec.key] = value
            self._load(spec, editor, value)
            locked = settings.is_locked(spec.key)
            editor.setEnabled(not locked)
            label = QLabel()
            label.setBuddy(editor)
            self._labels[spec.key] = label
            if spec.kind == "bool":
                form.addRow("", editor)
            else:
                form.addRow(label, editor)
            if spec.help or locked:
                help_label = QLabel()
                help_label.setWordWrap(True)
                help_label.setObjectName("helpText")
                self._helps[spec.key] = help_label
                form.addRow("", help_label)
            if spec.kind == "server":
                form.addRow("", self._server_error)

        self._clear = QPushButton()
        self._clear.setObjectName("clearEverything")
        self._clear.clicked.connect(self._ask_clear)
        self._clear_note = QLabel()
        self._clear_note.setWordWrap(True)
        self._confirm_clear = QPushButton()
        self._confirm_clear.hide()
        self._confirm_clear.clicked.connect(self._do_clear)
        clear_row = QHBoxLayout()
        clear_row.addWidget(self._clear)
        clear_row.addWidget(self._confirm_clear)
        clear_row.addStretch(1)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(form)
        inner_layout.addSpacing(12)
        inner_layout.addWidget(self._clear_note)
        inner_layout.addLayout(clear_row)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                         | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._on_ok)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._buttons)
        self.resize(620, 600)
        self.retranslate()

    # --- editors ------------------------------------------------------------------------
    def _make_editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind in ("server", "text"):
            return QLineEdit()
        if spec.kind == "bool":
            return QCheckBox()
        combo = QComboBox()
        for value, _label in spec.choices:
            combo.addItem("", value)
        return combo

    def _load(self, spec: FieldSpec, editor: QWidget, value: Any) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox) and spec.kind == "choice":
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QComboBox):
            editor.clear()
            editor.addItem(_("System default"), None)
            device = _device_value(value)
            if device is not None:
                editor.addItem(device.label, device)
                editor.setCurrentIndex(1)

    def set_devices(self, devices: DeviceLists) -> None:
        lists = {"camera": devices.cameras, "microphone": devices.microphones,
                 "speaker": devices.speakers}
        for spec in self._fields:
            if not spec.kind.startswith("device:"):
                continue
            combo = self._editors[spec.key]
            assert isinstance(combo, QComboBox)
            current = combo.currentData()
            combo.clear()
            combo.addItem(_("System default"), None)
            for device in lists[spec.kind.split(":", 1)[1]]:
                combo.addItem(device.label, device)
            if current is not None:
                for i in range(1, combo.count()):
                    if combo.itemData(i).label == current.label:
                        combo.setCurrentIndex(i)
                        break
                else:  # saved but not plugged in: keep it selectable
                    combo.addItem(_("{name} (not connected)").format(name=current.label), current)
                    combo.setCurrentIndex(combo.count() - 1)

    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def value(self, spec: FieldSpec) -> Any:
        editor = self._editors[spec.key]
        if isinstance(editor, QLineEdit):
            text = editor.text().strip()
            return text or (None if spec.kind == "server" else "")
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, QComboBox)
        return editor.currentData()

    def changes(self) -> dict[str, Any]:
        out = {}
        for spec in self._fields:
            if self._settings.is_locked(spec.key):
                continue
            value = self.value(spec)
            initial = self._initial.get(spec.key)
            if spec.kind.startswith("device:"):
                same = (_device_value(initial) or None) == value
            else:
                same = value == initial or (value in ("", None) and initial in ("", None))
            if not same:
                out[spec.key] = value
        return out

    def _on_ok(self) -> None:
        changes = self.changes()
        server = changes.get(keys.SERVER_URL)
        if server:
            try:
                changes[keys.SERVER_URL] = parse_server_url(server).url
            except AddressError as exc:
                self._server_error.setText(exc.user_message())
                self._server_error.show()
                self._editors[keys.SERVER_URL].setFocus()
                return
        self.applied.emit(changes)
        self.accept()

    def _ask_clear(self) -> None:
        self._confirm_clear.show()
        self._confirm_clear.setFocus()

    def _do_clear(self) -> None:
        self.clear_requested.emit()
        self.reject()

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        for spec in self._fields:
            editor = self._editors[spec.key]
            label = _(spec.label)
            self._labels[spec.key].setText(label + ":")
            editor.setAccessibleName(label)
            if isinstance(editor, QCheckBox):
                editor.setText(label)
            # a disabled editor says why, also to screen readers that skip the help line
            editor.setAccessibleDescription(_("Set by your administrator.")
                                            if self._settings.is_locked(spec.key) else "")
            help_label = self._helps.get(spec.key)
            if help_label is not None:
                text = _(spec.help) if spec.help else ""
                if self._settings.is_locked(spec.key):
                    text = (text + " " if text else "") + _("Set by your administrator.")
                help_label.setText(text)
            if spec.kind == "choice":
                for i, (_value, name) in enumerate(spec.choices):
                    assert isinstance(editor, QComboBox)
                    editor.setItemText(i, _(name))
            elif spec.kind.startswith("device:") and isinstance(editor, QComboBox) and editor.count():
                editor.setItemText(0, _("System default"))
        server = self._editors.get(keys.SERVER_URL)
        if isinstance(server, QLineEdit):
            server.setPlaceholderText("https://konferenz.example.de")
        self._clear.setText(_("Clear everything…"))
        self._clear_note.setText(_("Removes your name, recent rooms and all settings from this "
                                   "computer."))
        self._confirm_clear.setText(_("Yes, clear everything"))
