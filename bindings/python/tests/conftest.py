"""Fixtures shared by the tests: the golden vectors of license-core and the header."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# The repository root (the tests run from a checkout; LICENSE_KIT_REPO overrides it).
REPO = Path(os.environ.get("LICENSE_KIT_REPO", Path(__file__).resolve().parents[3]))
VECTORS = REPO / "license-core/tests/vectors"
HEADER = REPO / "ffi/include/license_ffi.h"


def load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def v1() -> dict[str, Any]:
    return load("v1.json")


@pytest.fixture(scope="session")
def v2() -> dict[str, Any]:
    return load("v2.json")


@pytest.fixture(scope="session")
def delegation() -> dict[str, Any]:
    return load("v2-delegation.json")


@pytest.fixture(scope="session")
def header() -> str:
    return HEADER.read_text(encoding="utf-8")
