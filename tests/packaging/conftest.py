"""Fixtures of the packaging tests: the Linux bundle, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.bundle import InstalledBundle, build_bundle, install_copy


@pytest.fixture(scope="session")
def linux_bundle() -> Path:
    """dist/treffpunkt, rebuilt only if its inputs changed since the last build."""
    return build_bundle()


@pytest.fixture(scope="session")
def installed_bundle(linux_bundle: Path,
                     tmp_path_factory: pytest.TempPathFactory) -> InstalledBundle:
    """A copy of the bundle in a fresh directory, with a HOME of its own."""
    return install_copy(linux_bundle, tmp_path_factory.mktemp("installed"))
