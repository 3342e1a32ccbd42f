"""Chosen devices are found again by label when their ids change."""

from __future__ import annotations

from dataclasses import dataclass

from client.settings.devices import DeviceChoice, match_device, normalise_label


@dataclass
class Dev:
    id: str
    label: str


def test_same_id_and_label():
    devices = [Dev("0", "Built-in Microphone"), Dev("1", "USB Headset")]
    assert match_device(DeviceChoice("1", "USB Headset"), devices) is devices[1]


def test_renumbered_devices_are_found_by_label():
    saved = DeviceChoice("1", "USB Headset")
    devices = [Dev("0", "Built-in Microphone"), Dev("1", "HDMI Audio"), Dev("3", "USB Headset")]
    assert match_device(saved, devices) is devices[2]


def test_a_reused_id_is_not_trusted_when_the_label_differs():
    assert match_device(DeviceChoice("1", "USB Headset"),
                        [Dev("0", "Built-in"), Dev("1", "HDMI Audio")]) is None


def test_numbering_and_hardware_ids_in_labels_are_ignored():
    saved = DeviceChoice("hw:2", "HD Webcam C270 (046d:0825)")
    devices = [Dev("video0", "Integrated Camera"), Dev("video2", "HD Webcam C270 (046d:0826)")]
    assert match_device(saved, devices) is devices[1]
    assert normalise_label("Default - USB Audio (046d:0825) #2") == "usb audio"


def test_a_label_contained_in_another_matches_only_when_unambiguous():
    saved = DeviceChoice("5", "Jabra Speak 510")
    assert match_device(saved, [Dev("7", "Jabra Speak 510 USB"), Dev("0", "Built-in")]).id == "7"
    assert match_device(saved, [Dev("7", "Jabra Speak 510 USB"),
                                Dev("8", "Jabra Speak 510 Bluetooth")]) is None


def test_without_a_label_the_id_decides_and_nothing_saved_means_default():
    devices = [Dev("a", "One"), Dev("b", "Two")]
    assert match_device(DeviceChoice("b", ""), devices) is devices[1]
    assert match_device(None, devices) is None
    assert match_device(DeviceChoice("b", "Two"), []) is None


def test_devices_as_dicts_or_with_other_attribute_names():
    assert match_device(DeviceChoice("x", "Mic"), [{"id": "y", "label": "Mic"}]) == {
        "id": "y", "label": "Mic"}
    found = match_device(DeviceChoice("x", "Mic"), [("y", "Mic")],
                         id_of=lambda d: d[0], label_of=lambda d: d[1])
    assert found == ("y", "Mic")
