"""The simulated guest OS consoles (labtui.engine.guest)."""

from __future__ import annotations

import datetime as dt
import random
import string

import cattrs
import pytest

from labtui.engine.guest import DiskWrite, GuestConsole, GuestOutcome, GuestState, Reboot, Shutdown

SID = "S-1-5-21-1004336348-1177238915-682003330"
MACHINE_ID = "3f1c2a9d8e7b4c6a9f0e1d2c3b4a5968"
ED25519 = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
CLOCK = dt.datetime(2025, 5, 13, 9, 41, 7, 123456, tzinfo=dt.timezone.utc)


def windows(**kw) -> GuestState:
    base = dict(os_type="Windows", os_name="Windows Server 2022 Datacenter", computer_name="winvm01",
                admin_username="azureuser", sid=SID, users=["azureuser"],
                installed=["PowerShell-ISE", "Windows-Defender"])
    base.update(kw)
    return GuestState(**base)


def linux(os_name: str = "Ubuntu 22.04.5 LTS", **kw) -> GuestState:
    base = dict(os_type="Linux", os_name=os_name, computer_name="vm1", admin_username="azureuser",
                machine_id=MACHINE_ID, users=["azureuser"],
                ssh_host_keys={"ssh-ed25519": ED25519, "ecdsa-sha2-nistp256": "SHA256:ecdsaFingerprint",
                               "ssh-rsa": "SHA256:rsaFingerprint"},
                installed=["cloud-init", "openssh-server", "walinuxagent"])
    base.update(kw)
    return GuestState(**base)


def console(state: GuestState, **kw) -> GuestConsole:
    return GuestConsole(state, clock=lambda: CLOCK, **kw)


def not_recognized(name: str, line: str, width: int) -> str:
    return "\n".join([
        f"{name} : The term '{name}' is not recognized as the name of a cmdlet, function, script file, or "
        "operable program. Check the spelling of the name, or if a path was included, verify that the path "
        "is correct and try again.",
        "At line:1 char:1",
        f"+ {line}",
        "+ " + "~" * width,
        f"    + CategoryInfo          : ObjectNotFound: ({name}:String) [], CommandNotFoundException",
        "    + FullyQualifiedErrorId : CommandNotFoundException",
    ])


# --- the state is plain data -------------------------------------------------------------------

def test_state_round_trips_through_cattrs_after_changes():
    state = windows()
    c = console(state)
    c.run("Install-WindowsFeature -Name Web-Server")
    c.run("Remove-Item C:\\Windows\\Panther -Recurse -Force")
    c.run("C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /shutdown")
    data = cattrs.unstructure(state)
    assert data["sid"] is None
    again = cattrs.structure(data, GuestState)
    assert again == state
    assert GuestConsole(again).run("Test-Path C:\\Windows\\Panther").output == "False"


def test_mutable_defaults_are_not_shared():
    a = GuestState(os_type="Linux", os_name="Ubuntu 22.04.5 LTS", computer_name="a", admin_username="u")
    b = GuestState(os_type="Linux", os_name="Ubuntu 22.04.5 LTS", computer_name="b", admin_username="u")
    a.users.append("u")
    a.files["/tmp/x"] = "1"
    assert b.users == [] and b.files == {}


# --- identities --------------------------------------------------------------------------------

def test_windows_identity_commands():
    c = console(windows())
    assert c.prompt == "PS C:\\Users\\azureuser> "
    assert c.run("hostname") == GuestOutcome("winvm01", 0)
    assert c.run("whoami").output == "winvm01\\azureuser"
    out = c.run("whoami /user")
    assert out.exit_status == 0
    # Azure's admin is the built-in Administrator account renamed: RID 500.
    assert out.output.split("\n") == [
        "",
        "USER INFORMATION",
        "----------------",
        "",
        "User Name         SID",
        "================= " + "=" * len(SID + "-500"),
        f"winvm01\\azureuser {SID}-500",
    ]


def test_created_windows_users_get_rids_from_1000():
    state = windows()
    c = console(state)
    assert c.run("net user bob P@ssw0rd!1 /add").exit_status == 0
    assert "bob" in state.users
    shell = c._shell
    assert shell._sid_for("bob") == f"{SID}-1000"
    assert shell._sid_for("azureuser") == f"{SID}-500"
    assert "bob" in c.run("Get-LocalUser").output


def test_linux_identity_commands():
    c = console(linux())
    assert c.prompt == "azureuser@vm1:~$ "
    assert c.run("hostname") == GuestOutcome("vm1", 0)
    assert c.run("whoami") == GuestOutcome("azureuser", 0)
    assert c.run("cat /etc/machine-id") == GuestOutcome(MACHINE_ID, 0)
    assert c.run("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").output == \
        f"256 {ED25519} root@vm1 (ED25519)"
    assert c.run("sudo whoami").output == "root"


def test_run_command_identity():
    assert console(windows(), as_service=True).run("whoami").output == "nt authority\\system"
    assert console(linux(), as_service=True).run("whoami").output == "root"


# --- IIS ---------------------------------------------------------------------------------------

def test_install_iis_creates_files_and_writes_to_disk():
    state = windows()
    c = console(state)
    out = c.run("Install-WindowsFeature -Name Web-Server -IncludeManagementTools")
    assert out.exit_status == 0
    assert out.output.split("\n")[:4] == [
        "",
        "Success Restart Needed Exit Code      Feature Result",
        "------- -------------- ---------      --------------",
        "True    No             Success        {Common HTTP Features, Default Document, D...",
    ]
    writes = [e for e in out.effects if isinstance(e, DiskWrite)]
    assert len(writes) == 1 and 100 * 2**20 <= writes[0].bytes_written <= 900 * 2**20
    assert "C:\\inetpub\\wwwroot\\iisstart.htm" in state.files
    assert "Web-Server" in state.installed and "Web-Mgmt-Console" in state.installed
    assert state.installed == sorted(state.installed)
    page = c.run("Get-Content C:\\inetpub\\wwwroot\\iisstart.htm")
    assert "<title>IIS Windows Server</title>" in page.output
    assert "iisstart.htm" in c.run("dir C:\\inetpub\\wwwroot").output
    feature = c.run("Get-WindowsFeature Web-Server").output
    assert "[X] Web Server (IIS)" in feature and "Installed" in feature
    again = c.run("Install-WindowsFeature Web-Server")
    assert "True    No             NoChangeNeeded {}" in again.output and again.effects == ()


def test_unknown_feature_is_rejected():
    c = console(windows())
    out = c.run("Install-WindowsFeature Web-Serve")
    assert out.exit_status == 1
    assert out.output.startswith("Install-WindowsFeature : ArgumentNotValid: The role, role service, or feature "
                                 "name is not valid: 'Web-Serve'. The name was not found.")
    assert "False   No             InvalidArgs    {}" in out.output
    assert "NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand" in out.output


def test_windows_file_commands():
    state = windows()
    c = console(state)
    assert c.run("Set-Content -Path C:\\notes.txt -Value hello").exit_status == 0
    assert c.run("type C:\\notes.txt").output == "hello"
    c.run("Add-Content C:\\notes.txt world")
    assert c.run("cat C:\\notes.txt").output == "hello\nworld"
    c.run("echo one > C:\\a.txt")
    c.run("echo two >> C:\\a.txt")
    assert c.run("gc C:\\a.txt").output == "one\ntwo"
    c.run('"piped" | Out-File C:\\p.txt')
    assert c.run("Get-Content C:\\p.txt").output == "piped"
    assert c.run("New-Item -ItemType Directory -Path C:\\data").exit_status == 0
    assert c.run("Test-Path C:\\data").output == "True"
    c.run("Set-Content C:\\data\\x.txt 1")
    out = c.run("Remove-Item C:\\data")
    assert out.prompt is not None and "has children" in out.output
    assert c.run("N").exit_status == 0 and c.run("Test-Path C:\\data").output == "True"
    assert c.run("Remove-Item C:\\data -Recurse -Force").exit_status == 0
    assert c.run("Test-Path C:\\data").output == "False"
    missing = c.run("Get-Content nope.txt")
    assert missing.exit_status == 1
    assert missing.output.split("\n")[0] == \
        "Get-Content : Cannot find path 'C:\\Users\\azureuser\\nope.txt' because it does not exist."
    assert "PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand" in missing.output


def test_panther_can_be_deleted_before_sysprep():
    state = windows()
    c = console(state)
    assert c.run("Test-Path C:\\Windows\\Panther").output == "True"
    assert c.run("Remove-Item C:\\Windows\\Panther -Recurse -Force").exit_status == 0
    assert c.run("Test-Path C:\\Windows\\Panther").output == "False"


# --- sysprep -----------------------------------------------------------------------------------

GENERALIZE_AND_SHUT_DOWN = [
    ["C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /shutdown"],
    ["c:\\windows\\system32\\sysprep\\SYSPREP.EXE /GENERALIZE /OOBE /SHUTDOWN"],
    ["C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /shutdown /mode:vm"],
    ["cd C:\\Windows\\System32\\Sysprep", ".\\sysprep.exe /generalize /shutdown /oobe"],
    ["cd C:\\Windows\\System32\\Sysprep; .\\sysprep /oobe /generalize /shutdown"],
    ["cmd /c %WINDIR%\\system32\\sysprep\\sysprep.exe /generalize /oobe /shutdown"],
    ['& "$env:windir\\System32\\Sysprep\\sysprep.exe" /generalize /oobe /shutdown'],
    ["Start-Process -FilePath C:\\Windows\\System32\\Sysprep\\sysprep.exe "
     "-ArgumentList '/generalize /oobe /shutdown /quiet'"],
]


@pytest.mark.parametrize("lines", GENERALIZE_AND_SHUT_DOWN)
def test_sysprep_generalize_shutdown(lines):
    state = windows()
    c = console(state, durations={"guest.sysprep": 240})
    outcome = None
    for line in lines:
        outcome = c.run(line)
        assert outcome.exit_status == 0, outcome.output
    assert outcome.output == ""          # a GUI program: PowerShell prints nothing
    assert Shutdown(240.0) in outcome.effects
    assert state.sid is None and state.prepared == "sysprepped" and state.oobe is True
    assert state.users == ["azureuser"]  # local accounts survive generalization


def test_sysprep_default_duration():
    c = console(windows())
    out = c.run("C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /shutdown")
    assert Shutdown(180.0) in out.effects


def test_powershell_does_not_expand_cmd_variables():
    state = windows()
    c = console(state)
    line = "%WINDIR%\\system32\\sysprep\\sysprep.exe /generalize /oobe /shutdown"
    out = c.run(line)
    assert out.exit_status == 1 and out.effects == ()
    assert out.output == not_recognized("%WINDIR%\\system32\\sysprep\\sysprep.exe", line, 37)
    assert state.sid == SID and state.prepared == "none"


def test_sysprep_in_current_folder_needs_dot_slash():
    c = console(windows())
    c.run("cd C:\\Windows\\System32\\Sysprep")
    assert c.prompt == "PS C:\\Windows\\System32\\Sysprep> "
    out = c.run("sysprep.exe /generalize /oobe /shutdown")
    assert out.exit_status == 1 and out.effects == ()
    assert "The term 'sysprep.exe' is not recognized" in out.output
    assert 'instead type: ".\\sysprep.exe"' in out.output


def test_sysprep_without_generalize_keeps_identity():
    state = windows()
    out = console(state).run("C:\\Windows\\System32\\Sysprep\\sysprep.exe /oobe /shutdown")
    assert Shutdown(180.0) in out.effects
    assert state.sid == SID and state.prepared == "none"


@pytest.mark.parametrize("action", ["/quit", ""])
def test_sysprep_quit_generalizes_without_power_off(action):
    state = windows()
    c = console(state)
    out = c.run(f"C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe {action}".strip())
    assert not any(isinstance(e, (Shutdown, Reboot)) for e in out.effects)
    assert state.sid is None and state.prepared == "sysprepped"
    # The open session keeps the token it logged on with.
    assert f"{SID}-500" in c.run("whoami /user").output


def test_sysprep_reboot():
    state = windows()
    out = console(state).run("C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /reboot")
    assert Reboot(180.0) in out.effects and state.prepared == "sysprepped"


def test_sysprep_conflicting_options_do_nothing():
    state = windows()
    out = console(state).run("C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /shutdown /reboot")
    assert out.effects == () and state.sid == SID
    assert out.output.startswith("[labtui] ")


def test_console_on_generalized_guest_does_not_crash():
    state = windows(sid=None, prepared="sysprepped")
    out = console(state).run("whoami /user")
    assert out.exit_status == 0 and out.output.split("\n")[-1].endswith("-500")


def test_quoted_path_at_statement_start_is_a_parse_error():
    c = console(windows())
    out = c.run('"C:\\Windows\\System32\\Sysprep\\sysprep.exe" /generalize')
    assert "Unexpected token '/generalize' in expression or statement." in out.output
    assert out.exit_status == 1 and out.effects == ()


# --- shutdown ----------------------------------------------------------------------------------

@pytest.mark.parametrize("line,effect", [
    ("shutdown /s", Shutdown(50.0, scheduled_in=30.0)),       # Windows waits 30 s by default
    ("shutdown /s /t 0", Shutdown(20.0, scheduled_in=0.0)),
    ("shutdown -s -t 120", Shutdown(140.0, scheduled_in=120.0)),
    ("shutdown /p", Shutdown(20.0)),
    ("Stop-Computer", Shutdown(20.0)),
    ("Stop-Computer -Force", Shutdown(20.0)),
    ("Restart-Computer", Reboot(20.0)),
    ("shutdown /r /t 0", Reboot(20.0)),
])
def test_windows_shutdown_effects(line, effect):
    out = console(windows()).run(line)
    assert out.exit_status == 0 and out.effects == (effect,) and out.output == ""


@pytest.mark.parametrize("line,doing", [("Stop-Computer -ComputerName web01", "stopping"),
                                        ("Restart-Computer -ComputerName web01", "restarting")])
def test_windows_power_commands_act_on_this_computer_only(line, doing):
    this = console(windows()).run("Stop-Computer -ComputerName localhost")
    assert this.effects == (Shutdown(20.0),)
    out = console(windows()).run(line)
    assert out.exit_status == 1 and out.effects == () and f"{doing} another computer is not simulated" in out.output


@pytest.mark.parametrize("line,effect", [
    ("sudo shutdown -h now", Shutdown(20.0)),
    ("sudo shutdown now", Shutdown(20.0)),
    ("sudo poweroff", Shutdown(20.0)),
    ("sudo reboot", Reboot(20.0)),
    ("sudo shutdown -r now", Reboot(20.0)),
])
def test_linux_shutdown_effects(line, effect):
    out = console(linux()).run(line)
    assert out.exit_status == 0 and out.effects == (effect,)


def test_linux_scheduled_shutdown_message():
    out = console(linux()).run("sudo shutdown -h +5")
    assert out.effects == (Shutdown(320.0, scheduled_in=300.0),)
    assert out.output == "Shutdown scheduled for Tue 2025-05-13 09:46:07 UTC, use 'shutdown -c' to cancel."


@pytest.mark.parametrize("line", ["shutdown -h now", "poweroff", "reboot"])
def test_linux_power_off_needs_root(line):
    out = console(linux()).run(line)
    assert out.exit_status == 1 and out.effects == ()
    assert "Interactive authentication required." in out.output


# --- waagent -----------------------------------------------------------------------------------

UBUNTU_WARNINGS = [
    "WARNING! The waagent service will be stopped.",
    "WARNING! Cached DHCP leases will be deleted.",
    "WARNING! root password will be disabled. You will not be able to login as root.",
    "WARNING! /etc/resolv.conf will be deleted.",
    "WARNING! azureuser account and entire home directory will be deleted.",
]
GENERIC_WARNINGS = [
    "WARNING! The waagent service will be stopped.",
    "WARNING! All SSH host key pairs will be deleted.",
    "WARNING! Cached DHCP leases will be deleted.",
    "WARNING! root password will be disabled. You will not be able to login as root.",
    "WARNING! /etc/resolv.conf will be deleted.",
    "WARNING! azureuser account and entire home directory will be deleted.",
]


def test_waagent_ubuntu_prompt_and_yes():
    state = linux()
    state.files["/home/azureuser/app.conf"] = "x=1\n"
    c = console(state)
    first = c.run("sudo waagent -deprovision+user")
    # Ubuntu's waagent.conf has RegenerateSshHostKeyPair=n: no SSH host key line.
    assert first.output.split("\n") == UBUNTU_WARNINGS
    assert first.prompt == "Do you want to proceed (y/n)" and c.awaiting_answer
    assert c.prompt == "Do you want to proceed (y/n)"
    assert state.prepared == "none"
    done = c.run("y")
    assert not c.awaiting_answer and done.exit_status == 0
    assert done.output.split("\n") == [
        "2025-05-13T09:41:07.123456Z INFO MainThread Examine /proc/net/route for primary interface",
        "2025-05-13T09:41:07.123456Z INFO MainThread Primary interface is [eth0]",
    ]
    assert not any(isinstance(e, (Shutdown, Reboot)) for e in done.effects)   # the VM keeps running
    assert state.prepared == "deprovisioned" and state.agent_running is False
    assert state.dhcp_leases is False and state.resolv_conf is False and state.root_password_disabled is True
    assert state.computer_name == "localhost.localdomain"
    assert "azureuser" not in state.users
    assert not any(p.startswith("/home/azureuser") for p in state.files)
    assert state.machine_id == MACHINE_ID
    assert "ssh-ed25519" in state.ssh_host_keys          # kept on Ubuntu
    # Same shell: prompt unchanged, but hostname changed and the account is gone.
    assert c.prompt == "azureuser@vm1:~$ "
    assert c.run("hostname").output == "localhost.localdomain"
    assert c.run("whoami") == GuestOutcome("whoami: cannot find name for user ID 1000", 1)
    assert c.run("sudo ls").output == "sudo: you do not exist in the passwd database"
    assert c.run("cat /etc/machine-id").output == MACHINE_ID


def test_waagent_generic_config_deletes_host_keys():
    state = linux("Red Hat Enterprise Linux 8.10 (Ootpa)")
    c = console(state)
    first = c.run("sudo waagent -deprovision+user")
    assert first.output.split("\n") == GENERIC_WARNINGS
    assert first.prompt == "Do you want to proceed (y/n)"
    c.run("Y")
    assert state.ssh_host_keys == {} and state.prepared == "deprovisioned"
    assert c.run("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub") == GuestOutcome(
        "/etc/ssh/ssh_host_ed25519_key.pub: No such file or directory", 255)


@pytest.mark.parametrize("answer", ["n", "N", "", "no", "sure"])
def test_waagent_other_answers_abort_silently(answer):
    state = linux()
    before = cattrs.unstructure(state)
    c = console(state)
    c.run("sudo waagent -deprovision+user")
    out = c.run(answer)
    assert out == GuestOutcome("", 0)
    assert cattrs.unstructure(state) == before
    assert not c.awaiting_answer


def test_waagent_force_skips_prompt():
    state = linux()
    out = console(state).run("sudo waagent -force -deprovision+user")
    assert out.prompt is None
    assert out.output.split("\n")[:5] == UBUNTU_WARNINGS
    assert state.prepared == "deprovisioned" and "azureuser" not in state.users


def test_waagent_without_user_keeps_the_account():
    state = linux()
    c = console(state)
    out = c.run("sudo waagent -deprovision")
    assert out.output.split("\n") == UBUNTU_WARNINGS[:4]
    c.run("y")
    assert state.prepared == "deprovisioned" and state.users == ["azureuser"]
    assert c.run("whoami").output == "azureuser"


def test_waagent_second_run_cannot_find_ovf_env():
    state = linux()
    c = console(state)
    c.run("sudo waagent -deprovision -force")
    out = c.run("sudo waagent -deprovision+user -force")
    lines = out.output.split("\n")
    assert lines[4:6] == ["WARNING! ovf-env.xml is not found.", "WARNING! Skip delete user."]
    assert "azureuser" in state.users


def test_waagent_without_sudo_changes_nothing():
    state = linux()
    before = cattrs.unstructure(state)
    c = console(state)
    first = c.run("waagent -deprovision+user")
    assert first.output.split("\n") == UBUNTU_WARNINGS and first.prompt == "Do you want to proceed (y/n)"
    out = c.run("y")
    assert "ERROR MainThread Failed to run 'deprovision+user'" in out.output
    assert "Permission denied" in out.output
    assert cattrs.unstructure(state) == before


def test_waagent_under_run_command_reads_end_of_input():
    state = linux()
    out = console(state, as_service=True).run("waagent -deprovision+user")
    assert out.prompt is None
    assert "Do you want to proceed (y/n)" in out.output and "EOF when reading a line" in out.output
    assert state.prepared == "none"
    forced = console(state, as_service=True).run("waagent -deprovision+user -force")
    assert forced.prompt is None and state.prepared == "deprovisioned"


def test_cloud_init_clean_keeps_machine_id():
    state = linux()
    c = console(state)
    assert c.run("sudo cloud-init clean --logs").exit_status == 0
    assert state.machine_id == MACHINE_ID
    c.run("sudo cloud-init clean --machine-id")
    assert c.run("cat /etc/machine-id").output == "uninitialized"


# --- unknown commands --------------------------------------------------------------------------

def test_powershell_unknown_command_exact_text():
    c = console(windows())
    out = c.run("foo")
    assert out.exit_status == 1 and out.effects == ()
    assert out.output == not_recognized("foo", "foo", 3)
    long = c.run("frobnicate --all")
    assert long.output == not_recognized("frobnicate", "frobnicate --all", 10)


def test_bash_unknown_command_on_ubuntu():
    # Ubuntu's command-not-found handler prints without the "bash:" prefix.
    c = console(linux())
    assert c.run("foo") == GuestOutcome("foo: command not found", 127)
    assert c.run("tree") == GuestOutcome(
        "Command 'tree' not found, but can be installed with:\nsudo apt install tree", 127)
    assert c.run("sudo foo") == GuestOutcome("sudo: foo: command not found", 1)


def test_bash_unknown_command_elsewhere():
    c = console(linux("Red Hat Enterprise Linux 8.10 (Ootpa)"))
    assert c.prompt == "[azureuser@vm1 ~]$ "
    assert c.run("foo bar") == GuestOutcome("-bash: foo: command not found", 127)
    assert c.run("apt install nginx").exit_status == 127


# --- apt ---------------------------------------------------------------------------------------

def test_apt_without_sudo():
    state = linux()
    c = console(state)
    lock = ("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
            "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?")
    assert c.run("apt install nginx") == GuestOutcome(lock, 100)
    assert c.run("apt-get install -y nginx") == GuestOutcome(lock, 100)
    update = c.run("apt update")
    assert update.exit_status == 100
    assert "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)" in update.output
    assert "nginx" not in state.installed and not state.files


def test_apt_install_nginx_with_prompt():
    state = linux()
    c = console(state)
    first = c.run("sudo apt install nginx")
    assert first.prompt == "Do you want to continue? [Y/n] "
    assert "The following NEW packages will be installed:" in first.output
    done = c.run("")          # Enter accepts the default (Y)
    assert done.exit_status == 0
    assert "Setting up nginx (" in done.output
    assert "/var/www/html/index.nginx-debian.html" in state.files
    assert "nginx" in state.installed and state.installed == sorted(state.installed)
    assert [e for e in done.effects if isinstance(e, DiskWrite)][0].bytes_written > 1_000_000
    assert c.run("ls /var/www/html").output == "index.nginx-debian.html"


def test_apt_install_abort_and_yes_flag():
    state = linux()
    c = console(state)
    c.run("sudo apt-get install nginx")
    assert c.run("n") == GuestOutcome("Abort.", 1)
    assert "nginx" not in state.installed
    out = c.run("sudo apt-get install -y nginx")
    assert out.prompt is None and "nginx" in state.installed
    assert c.run("sudo apt install -y nosuchpkg").output.endswith("E: Unable to locate package nosuchpkg")


def test_apt_after_deprovision_has_no_dns():
    state = linux(resolv_conf=False)
    out = console(state).run("sudo apt update")
    assert "Temporary failure resolving 'azure.archive.ubuntu.com'" in out.output


# --- bash files and redirection ----------------------------------------------------------------

def test_bash_files():
    state = linux()
    c = console(state)
    c.run("echo hello > notes.txt")
    c.run("echo again >> notes.txt")
    assert c.run("cat notes.txt").output == "hello\nagain"
    assert state.files["/home/azureuser/notes.txt"] == "hello\nagain\n"
    assert c.run("mkdir -p data/logs").exit_status == 0
    c.run("touch data/logs/a.log")
    assert c.run("ls data/logs").output == "a.log"
    assert c.run("rm -rf data").exit_status == 0
    assert c.run("ls").output == "notes.txt"
    denied = c.run("echo x > /etc/motd.d")
    assert denied == GuestOutcome("-bash: /etc/motd.d: Permission denied", 1)
    # sudo does not apply to the shell's redirection; tee does the writing as root
    assert c.run("sudo echo x > /etc/custom").exit_status == 1
    assert c.run("echo x | sudo tee /etc/custom").output == "x"
    assert c.run("cat /etc/custom").output == "x"
    assert c.run("cat nope") == GuestOutcome("cat: nope: No such file or directory", 1)


# --- every line gets an outcome ----------------------------------------------------------------

@pytest.mark.parametrize("make", [windows, linux])
def test_blank_and_comment_lines(make):
    c = console(make())
    for line in ["", "   ", "\t", "# just a comment", "   # indented comment"]:
        assert c.run(line) == GuestOutcome("", 0)
    assert c.run("  hostname  ").output in ("winvm01", "vm1")


@pytest.mark.parametrize("make", [windows, linux])
def test_fuzz_never_raises(make):
    rng = random.Random(20250513)
    alphabet = string.printable + "\x00\x1b\u00e9\u4e2d`$%&|;<>(){}[]'\"\\~*?"
    words = ["sudo", "waagent", "-deprovision+user", "apt", "install", "echo", ">", ">>", "|", "cat", "rm",
             "-rf", "C:\\", "Remove-Item", "-Recurse", "sysprep", "/generalize", "&&", "'", '"', "$env:windir",
             "%WINDIR%", "cd", "..", "y", "n", "-Path", ",", "Install-WindowsFeature", "shutdown", "/s", "(",
             "{", ";", "`", "cmd", "/c", "tee", "mkdir", "-p", "*"]
    lines = ["\x00", "\u202e", "'" * 7, '"' * 3, "`", "\\", "|", ";;", "&&", "$(", "${", "echo $((1+", "x" * 5000,
             "sudo waagent -deprovision+user -force; hostname", "Remove-Item C:\\ -Recurse"]
    for _ in range(400):
        if rng.random() < 0.5:
            lines.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))
        else:
            lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 8))))
    c = console(make())
    for line in lines:
        out = c.run(line)
        assert isinstance(out, GuestOutcome)
        assert isinstance(out.output, str) and isinstance(out.exit_status, int)
        assert "internal simulator error" not in out.output, line
        assert isinstance(c.prompt, str)
