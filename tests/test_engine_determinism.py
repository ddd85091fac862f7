"""Same seed + same actions = the same world: ids, SIDs, IPs, and the saved bytes (except saved_at)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from engine_helpers import linux_vm, make_world, scenario, without_saved_at
from labtui.engine import persist

TESTS = Path(__file__).parent


def test_same_seed_same_ids_sids_and_ips():
    first, second = scenario(make_world(seed=7)), scenario(make_world(seed=7))
    assert first == second
    assert all(first["sids"]) and len(set(first["sids"])) == 2
    assert len(set(first["vm_ids"])) == 3 and len(set(first["public_ips"])) == 3


def test_different_seed_different_ids():
    first, second = scenario(make_world(seed=7)), scenario(make_world(seed=8))
    assert first["vm_ids"] != second["vm_ids"]
    assert first["sids"] != second["sids"]
    assert first["ids"] != second["ids"]                 # subscription id and OS disk names differ


def test_same_seed_same_saved_bytes_except_saved_at():
    a, b = make_world(seed=3), make_world(seed=3)
    scenario(a)
    scenario(b)
    data_a, data_b = persist.dumps(a), persist.dumps(b)
    assert without_saved_at(data_a) == without_saved_at(data_b)


def test_saved_bytes_identical_when_saved_at_is_fixed(monkeypatch):
    monkeypatch.setattr(persist.time, "time", lambda: 1_800_000_000.0)
    a, b = make_world(seed=3), make_world(seed=3)
    scenario(a)
    scenario(b)
    assert persist.dumps(a) == persist.dumps(b)


def test_saved_bytes_differ_after_a_different_action():
    a, b = make_world(seed=3), make_world(seed=3)
    linux_vm(a, "one")
    linux_vm(b, "two")
    assert without_saved_at(persist.dumps(a)) != without_saved_at(persist.dumps(b))


_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from engine_helpers import make_world, scenario
from labtui.engine import persist
world = make_world(seed=5)
scenario(world)
sys.stdout.buffer.write(persist.dumps(world))
"""


def _dump_in_child(hash_seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    result = subprocess.run([sys.executable, "-c", _CHILD.format(tests=str(TESTS))], capture_output=True, env=env,
                            timeout=60, check=True)
    return result.stdout


def test_same_saved_bytes_across_processes_with_different_hash_seeds():
    # A save must not depend on set/dict iteration order that changes between interpreter runs.
    here = make_world(seed=5)
    scenario(here)
    expected = without_saved_at(persist.dumps(here))
    assert without_saved_at(_dump_in_child("1")) == expected
    assert without_saved_at(_dump_in_child("2")) == expected


def test_a_loaded_world_goes_on_exactly_like_the_original():
    original = make_world(seed=9)
    scenario(original)
    loaded, _ = persist.loads(persist.dumps(original))
    for world in (original, loaded):
        world.run_until_idle()
        linux_vm(world, "after")
    assert without_saved_at(persist.dumps(loaded)) == without_saved_at(persist.dumps(original))
