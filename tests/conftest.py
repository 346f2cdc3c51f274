"""Fixtures every test folder may use."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def os_sandbox() -> None:
    """The operating-system sandbox that runs foreign code. Its absence skips a test on a
    developer's machine and FAILS it on CI (CI installs bubblewrap: `.ci/run`)."""
    from mindgap.gate.sandbox import sandbox_available, unavailable_reason

    if not sandbox_available():
        reason = f"no operating-system sandbox: {unavailable_reason()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
