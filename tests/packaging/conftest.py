"""Packaging tools are scripts in packaging/ (not an importable package: the name would shadow
PyPA's `packaging`), so tests load them by path, once per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"co_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sign_tool() -> ModuleType:
    return load_tool("sign_manifest")


@pytest.fixture(scope="session")
def codesign() -> ModuleType:
    return load_tool("codesign")


@pytest.fixture(scope="session")
def bundle_size() -> ModuleType:
    return load_tool("bundle_size")


@pytest.fixture(scope="session")
def bundle_filter() -> ModuleType:
    return load_tool("bundle_filter")
