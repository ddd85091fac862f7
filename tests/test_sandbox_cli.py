"""`labtui az` as separate processes over one saved sandbox, as a student's terminal runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labtui.engine.persist import SAVE_NAME, Sandbox


def labtui(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "labtui", "--data-dir", str(data_dir), *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_state_persists_between_processes(tmp_path: Path) -> None:
    created = labtui(tmp_path, "az", "group", "create", "-n", "rg-lab", "-l", "eastus")
    assert created.returncode == 0, created.stderr
    listed = labtui(tmp_path, "az", "group", "list", "--query", "[].name", "-o", "tsv")
    assert (listed.returncode, listed.stdout) == (0, "rg-lab\n")
    assert (tmp_path / SAVE_NAME).exists()


def test_az_client_state_alone_is_saved_for_the_next_process(tmp_path: Path) -> None:
    """`az configure` changes nothing in the cloud, only az's own state kept with the world."""
    labtui(tmp_path, "az", "group", "create", "-n", "rg-lab", "-l", "eastus")
    configured = labtui(tmp_path, "az", "configure", "--defaults", "group=rg-lab")
    assert configured.returncode == 0, configured.stderr
    listed = labtui(tmp_path, "az", "configure", "--list-defaults", "--query", "[].value", "-o", "tsv")
    assert listed.stdout == "rg-lab\n"


def test_no_wait_work_survives_into_the_next_process(tmp_path: Path) -> None:
    labtui(tmp_path, "az", "group", "create", "-n", "rg", "-l", "eastus")
    labtui(tmp_path, "az", "vm", "create", "-g", "rg", "-n", "vm1", "--image", "Ubuntu2204", "--generate-ssh-keys")
    started = labtui(tmp_path, "az", "vm", "deallocate", "-g", "rg", "-n", "vm1", "--no-wait")
    assert (started.returncode, started.stdout) == (0, "")
    waited = labtui(tmp_path, "az", "vm", "wait", "-g", "rg", "-n", "vm1", "--custom",
                    "instanceView.statuses[?code=='PowerState/deallocated']")
    assert waited.returncode == 0, waited.stderr
    state = labtui(tmp_path, "az", "vm", "show", "-g", "rg", "-n", "vm1", "-d", "--query", "powerState", "-o", "tsv")
    assert state.stdout == "VM deallocated\n"


def test_a_second_writer_is_refused_clearly(tmp_path: Path) -> None:
    holder = Sandbox(tmp_path)
    holder.lock()
    try:
        refused = labtui(tmp_path, "az", "group", "list")
    finally:
        holder.unlock()
    assert refused.returncode == 1
    assert "is in use by labtui (pid" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_corrupt_save_is_kept_aside_never_overwritten_silently(tmp_path: Path) -> None:
    (tmp_path / SAVE_NAME).write_bytes(b"\x93not a sandbox at all")
    result = labtui(tmp_path, "az", "group", "list", "-o", "tsv")
    assert result.returncode == 0
    assert "could not be read" in result.stderr and "kept as" in result.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(f"{SAVE_NAME}.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x93not a sandbox at all"


def test_the_az_path_never_imports_textual(tmp_path: Path) -> None:
    code = ("import sys; from labtui.cli import main; main(['--data-dir', sys.argv[1], 'az', 'group', 'list', "
            "'-o', 'none']); print('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_shell_reads_a_script_and_keeps_variables(tmp_path: Path) -> None:
    script = ("az group create -n rg -l eastus -o none\n"
              "RG_ID=$(az group show -n rg --query id -o tsv)\n"
              "echo \"group is $RG_ID\"\n")
    result = labtui(tmp_path, "shell", stdin=script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("group is /subscriptions/") and result.stdout.rstrip().endswith("/rg")
    # `labtui --data-dir D shell` plays the script against that sandbox and saves it.
    assert labtui(tmp_path, "az", "group", "exists", "-n", "rg").stdout == "true\n"


def test_labtuis_own_options_before_az_take_the_short_way_and_anything_else_the_parser() -> None:
    from labtui.cli import _quick_az

    assert _quick_az(["--data-dir", "/d", "--seed=4", "az", "vm", "list"]) == (["vm", "list"], "/d", 4)
    assert _quick_az(["az", "--help"]) == (["--help"], None, None)
    assert _quick_az(["--data-dir=/d", "az"]) == ([], "/d", None)
    # The full parser words these: a bad seed, a missing value, another command, an unknown option.
    for argv in (["--seed", "x", "az"], ["--data-dir"], ["list"], ["--verbose", "az"], []):
        assert _quick_az(argv) is None, argv
