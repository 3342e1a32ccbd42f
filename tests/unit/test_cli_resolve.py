"""`treffpunkt resolve` as a resident or admin runs it: a real subprocess, JSON out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    environment.update(TREFFPUNKT_CONFIG_DIR=str(tmp_path / "config"),
                       TREFFPUNKT_ADMIN_PRESET=str(tmp_path / "no-preset.json"),
                       LANG="C.UTF-8")
    return environment


def resolve(env, *args, stdin=None):
    result = subprocess.run([sys.executable, "-m", "client", "resolve", *args],
                            capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                            input=stdin, timeout=60)
    return result.returncode, json.loads(result.stdout), result.stderr


def test_a_link_resolves_to_json(env):
    code, data, stderr = resolve(env, "http://konferenz.bretten.de/schule/Bürger%20Sprechstunde"
                                 "?jwt=geheim.token.wert#config.startWithAudioMuted=true")
    assert code == 0 and stderr == ""
    assert data["server"] == "https://konferenz.bretten.de"
    assert data["tenant"] == "schule"
    assert data["room"] == "Bürger Sprechstunde"
    assert data["backend_room"] == "b%c3%bcrger%20sprechstunde"
    assert data["jwt_present"] is True
    assert data["config_overrides"] == {"startWithAudioMuted": True}
    assert data["upgraded_from_http"] is True
    assert data["guard"] == "known_municipal"
    assert data["known_server"] == {"town": "Bretten", "service": "Peter ruft Paul"}
    assert data["link"] == "https://konferenz.bretten.de/schule/B%C3%BCrger%20Sprechstunde"
    assert "geheim" not in json.dumps(data)


def test_a_bare_name_uses_the_server_option(env):
    code, data, _ = resolve(env, "Eltern", "Abend", "--server", "videokonferenz.rastatt.de")
    assert code == 0
    assert (data["server"], data["room"], data["guard"]) == (
        "https://videokonferenz.rastatt.de", "ElternAbend", "default_server")


def test_a_bare_name_without_any_server_is_an_error_in_german(env):
    code, data, stderr = resolve(env, "Elternabend", "--lang", "de")
    assert code == 2
    assert data["error"] == "no-default-server"
    assert data["message"].startswith("„Elternabend“ ist ein Raumname")
    assert "Wählen Sie zuerst den Server Ihrer Stadt" in stderr
    assert "meet.jit.si" not in json.dumps(data)


def test_errors_are_in_english_when_asked(env):
    code, data, stderr = resolve(env, "https://konferenz.bretten.de/", "--lang", "en")
    assert code == 2 and data["error"] == "no-room"
    assert data["message"] == ("This address leads to the server konferenz.bretten.de but names "
                               "no room. Add the room name, for example "
                               "konferenz.bretten.de/YourRoom.")
    assert data["message"] in stderr


def test_the_saved_default_server_and_language_are_used(env, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"format": 1, "settings": {
        "server.default_url": "https://konferenz.bretten.de", "ui.language": "de"}}))
    code, data, _ = resolve(env, "Chorprobe")
    assert code == 0 and data["server"] == "https://konferenz.bretten.de"
    assert data["guard"] == "default_server"
    code, data, _ = resolve(env, "mailto:x@example.org")
    assert code == 2 and data["message"].startswith("Links, die mit „mailto:“ beginnen")


def test_the_admin_preset_is_the_last_fallback(env, tmp_path):
    preset = tmp_path / "preset.json"
    preset.write_text(json.dumps({"default_server": "https://videokonferenz.rastatt.de"}))
    env["TREFFPUNKT_ADMIN_PRESET"] = str(preset)
    code, data, _ = resolve(env, "Gemeinderat")
    assert code == 0 and data["server"] == "https://videokonferenz.rastatt.de"


def test_an_invitation_can_be_piped_in(env):
    text = ("Hallo!\nHier der Link zur Sitzung:\n"
            "<https://videokonferenz.rastatt.de/Ortschaftsrat-7731>\n")
    code, data, _ = resolve(env, "-", stdin=text)
    assert code == 0 and data["room"] == "Ortschaftsrat-7731"


def test_a_corrupt_settings_file_is_reported_but_not_moved(env, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text("{kaputt")
    code, data, stderr = resolve(env, "https://konferenz.bretten.de/Raum", "--lang", "de")
    assert code == 0 and data["room"] == "Raum"
    assert "konnte nicht gelesen werden" in stderr
    assert (config / "settings.json").read_text() == "{kaputt"


def test_an_invalid_server_option_is_an_error(env):
    code, data, _ = resolve(env, "Raum", "--server", "ftp://x.example.org", "--lang", "de")
    assert code == 2 and data["error"] == "invalid-server-url"
