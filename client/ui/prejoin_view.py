"""Before joining: see yourself, hear yourself, pick a name and devices, then join.

The preview tile shows frames from a local ``FramePump`` (the camera, or the
synthetic test picture with ``--test-media`` or when no camera exists); the app
starts it as soon as this page opens.  Nothing here touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from client.i18n import _
from client.meeting.address import MeetingAddress
from client.ui.devices import DeviceInfo, DeviceLists
from client.ui.frame_binding import FrameBinding
from client.ui.level_meter import LevelMeter, read_level
from client.ui.video_tile import VideoTile

LEVEL_POLL_MS = 66


@dataclass(frozen=True)
class JoinChoices:
    display_name: str
    microphone_on: bool
    camera_on: bool
    audio_only: bool
    camera: DeviceInfo | None
    microphone: DeviceInfo | None
    speaker: DeviceInfo | None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PreJoinView(QWidget):
    join_clicked = Signal(object)          # JoinChoices
    back_clicked = Signal()
    camera_toggled = Signal(bool)          # the app stops/starts the preview
    microphone_toggled = Signal(bool)      # the app opens/closes the microphone (level meter)
    device_chosen = Signal(str, object)    # "camera"/"microphone"/"speaker", DeviceInfo | None

    def __init__(self, address: MeetingAddress, *, display_name: str = "",
                 microphone_on: bool = True, camera_on: bool = True, audio_only: bool = False,
                 name_required: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preJoinView")
        self.address = address
        self._name_required = name_required
        self._binding: FrameBinding | None = None
        self._level_source: Any = None

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._title.setTextFormat(Qt.TextFormat.RichText)
        self._title.setWordWrap(True)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self._title.setFont(font)
        self.preview = VideoTile("preview", display_name, is_self=True)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.use_aspect_height()
        self.preview.setMinimumSize(320, 180)
        self.preview.set_video_muted(not camera_on or audio_only)
        self.meter = LevelMeter()
        self._meter_label = QLabel()
        self._meter_label.setBuddy(self.meter)

        self._name_label = QLabel()
        self._name = QLineEdit(display_name)
        self._name_label.setBuddy(self._name)
        self._name.textChanged.connect(self._on_name)
        self._name_note = QLabel()
        self._name_note.setWordWrap(True)
        self._microphone = QCheckBox()
        self._microphone.setChecked(microphone_on)
        self._camera = QCheckBox()
        self._camera.setChecked(camera_on)
        self._audio_only = QCheckBox()
        self._audio_only.setChecked(audio_only)
        self._camera.toggled.connect(self._on_camera)
        self._audio_only.toggled.connect(self._on_audio_only)
        self._microphone.toggled.connect(self._on_microphone)

        self._pickers: dict[str, QComboBox] = {}
        self._picker_labels: dict[str, QLabel] = {}
        for kind in ("camera", "microphone", "speaker"):
            combo = QComboBox()
            combo.currentIndexChanged.connect(lambda _i, k=kind: self._on_picked(k))
            label = QLabel()
            label.setBuddy(combo)
            self._pickers[kind] = combo
            self._picker_labels[kind] = label
        self._devices = DeviceLists()

        self._copy = QPushButton()
        self._copy.clicked.connect(self.copy_link)
        self._copied = QLabel()
        self._back = QPushButton()
        self._back.clicked.connect(self.back_clicked.emit)
        self._join = QPushButton()
        self._join.setObjectName("joinButton")
        self._join.setDefault(True)
        self._join.setAutoDefault(True)
        self._join.clicked.connect(self.submit)
        self._name.returnPressed.connect(self.submit)

        left = QVBoxLayout()
        left.addWidget(self.preview)
        left.addWidget(self._meter_label)
        left.addWidget(self.meter)
        left.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._name_label, self._name)
        form.addRow("", self._name_note)
        form.addRow("", self._microphone)
        form.addRow("", self._camera)
        form.addRow("", self._audio_only)
        for kind in ("camera", "microphone", "speaker"):
            form.addRow(self._picker_labels[kind], self._pickers[kind])
        right = QVBoxLayout()
        right.addLayout(form)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self._copy)
        copy_row.addWidget(self._copied, 1)
        right.addLayout(copy_row)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._back)
        buttons.addStretch(1)
        buttons.addWidget(self._join)
        right.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(16)
        body.addLayout(right, 2)
        card = QFrame()
        card.setObjectName("card")
        column = QVBoxLayout(card)
        column.addWidget(self._title)
        column.addLayout(body, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(card)

        self._level_timer = QTimer(self)
        self._level_timer.setInterval(LEVEL_POLL_MS)
        self._level_timer.timeout.connect(self._poll_level)
        self.setTabOrder(self._name, self._microphone)
        self.setTabOrder(self._microphone, self._camera)
        self.setTabOrder(self._camera, self._audio_only)
        self.setTabOrder(self._audio_only, self._pickers["camera"])
        self.setTabOrder(self._pickers["camera"], self._pickers["microphone"])
        self.setTabOrder(self._pickers["microphone"], self._pickers["speaker"])
        self.setTabOrder(self._pickers["speaker"], self._copy)
        self.setTabOrder(self._copy, self._back)
        self.setTabOrder(self._back, self._join)
        self._fill_pickers()
        self.retranslate()
        self._name.setFocus()

    # --- media --------------------------------------------------------------------------
    def set_preview_source(self, pump: Any | None) -> None:
        """Show frames of ``pump`` (a local FramePump) in the preview tile."""
        if self._binding is not None:
            self._binding.close()
            self._binding = None
        self.preview.set_frame(None)
        if pump is not None:
            self._binding = FrameBinding(pump, self.preview)

    def set_level_source(self, source: Any | None) -> None:
        """``source.level()`` (0…1) is polled while this page is visible."""
        self._level_source = source
        if source is not None:
            self._level_timer.start()
        else:
            self._level_timer.stop()
            self.meter.set_level(0.0)

    def _poll_level(self) -> None:
        source = self._level_source
        if source is None:
            return
        self.meter.set_level(read_level(source) if self._microphone.isChecked() else 0.0)

    def set_devices(self, devices: DeviceLists, saved: dict[str, DeviceInfo | None] | None = None) -> None:
        self._devices = devices
        self._fill_pickers(saved or {})

    def _fill_pickers(self, saved: dict[str, DeviceInfo | None] | None = None) -> None:
        saved = saved or {}
        lists = {"camera": self._devices.cameras, "microphone": self._devices.microphones,
                 "speaker": self._devices.speakers}
        for kind, combo in self._pickers.items():
            current = combo.currentData() or saved.get(kind)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("System default"), None)
            for device in lists[kind]:
                combo.addItem(device.label, device)
            if current is not None:
                for i in range(1, combo.count()):
                    device = combo.itemData(i)
                    if device.id == current.id or device.label == current.label:
                        combo.setCurrentIndex(i)
                        break
            combo.blockSignals(False)

    def _on_picked(self, kind: str) -> None:
        self.device_chosen.emit(kind, self._pickers[kind].currentData())

    def shutdown(self) -> None:
        self._level_timer.stop()
        self.set_preview_source(None)

    # --- choices ------------------------------------------------------------------------
    def choices(self) -> JoinChoices:
        audio_only = self._audio_only.isChecked()
        return JoinChoices(
            display_name=self._name.text().strip(),
            microphone_on=self._microphone.isChecked(),
            camera_on=self._camera.isChecked() and not audio_only,
            audio_only=audio_only,
            camera=self._pickers["camera"].currentData(),
            microphone=self._pickers["microphone"].currentData(),
            speaker=self._pickers["speaker"].currentData())

    def set_name_required(self, required: bool) -> None:
        self._name_required = required
        self.retranslate()

    def controls(self) -> dict[str, QWidget]:
        return {"name": self._name, "microphone": self._microphone, "camera": self._camera,
                "audio_only": self._audio_only, "join": self._join, "back": self._back,
                "copy": self._copy, **{f"{k}_picker": v for k, v in self._pickers.items()}}

    def submit(self) -> None:
        if self._join.isEnabled():
            self.join_clicked.emit(self.choices())

    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.address.link)
        self._copied.setText(_("Link copied."))

    def _on_name(self, text: str) -> None:
        self.preview.set_display_name(text.strip())
        self._update_join()

    def _on_microphone(self, on: bool) -> None:
        self.microphone_toggled.emit(on)
        self.retranslate()

    def _on_camera(self, on: bool) -> None:
        self.preview.set_video_muted(not on or self._audio_only.isChecked())
        self.camera_toggled.emit(on and not self._audio_only.isChecked())
        self.retranslate()

    def _on_audio_only(self, on: bool) -> None:
        self._camera.setEnabled(not on)
        self.preview.set_video_muted(on or not self._camera.isChecked())
        self.camera_toggled.emit(not on and self._camera.isChecked())
        self.retranslate()

    def _update_join(self) -> None:
        self._join.setEnabled(bool(self._name.text().strip()) or not self._name_required)

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self._title.setText(_("Room <b>{room}</b> on <b>{server}</b>").format(
            room=_html(self.address.room), server=_html(self.address.display_host)))
        self._meter_label.setText(_("Microphone level – speak to test:"))
        self._name_label.setText(_("Your &name:"))
        self._name.setAccessibleName(_("Your name"))
        self._name.setPlaceholderText(_("How others will see you"))
        self._name_note.setText(_("This meeting requires a name.") if self._name_required
                                else _("Others see this name. Leave it empty to appear as a guest."))
        self._microphone.setText(_("&Microphone on"))
        self._camera.setText(_("&Camera on"))
        self._audio_only.setText(_("Join with &audio only (saves data)"))
        self._picker_labels["camera"].setText(_("Camera:"))
        self._picker_labels["microphone"].setText(_("Microphone:"))
        self._picker_labels["speaker"].setText(_("Speaker:"))
        self._pickers["camera"].setAccessibleName(_("Camera"))
        self._pickers["microphone"].setAccessibleName(_("Microphone"))
        self._pickers["speaker"].setAccessibleName(_("Speaker"))
        if self._pickers["camera"].count():
            for combo in self._pickers.values():
                combo.setItemText(0, _("System default"))
        self._copy.setText(_("Copy invitation link"))
        self._back.setText(_("Back"))
        self._join.setText(_("Join meeting"))
        self.preview.retranslate()
        self._update_join()
