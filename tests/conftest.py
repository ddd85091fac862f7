"""Shared fixtures. Engine builders live in tests/engine_helpers.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def world():
    """A fresh simulated subscription: ``rg`` in East US, ``rgw`` in West US, seed 1."""
    from engine_helpers import make_world

    return make_world(seed=1)
