"""What the README tells an operator holds: the invite link, the permissions, every setting, the service."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.invite import PERMISSIONS, SCOPES, required_permissions
from tests.store_fixtures import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
UNIT = REPO / "deploy" / "briefing-bot.service"


def test_the_readme_invite_link_asks_for_exactly_the_permissions_the_bot_needs() -> None:
    expected = discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
        read_message_history=True,
    )
    assert required_permissions() == expected
    [link] = re.findall(r"https://discord\.com/oauth2/authorize\?\S+", README)
    assert link.endswith(f"&scope=bot+applications.commands&permissions={expected.value}")
    assert SCOPES == ("bot", "applications.commands")
    assert f"their sum is {expected.value}" in README


def test_the_readme_says_what_each_permission_is_for() -> None:
    rows = re.findall(r"^ *\| ([A-Z][\w ]+) \| (.+) \|$", README.split("| permission | for |", 1)[1], re.M)
    assert rows[: len(PERMISSIONS)] == [(name, why) for _, name, why in PERMISSIONS]
    assert all(hasattr(discord.Permissions, attribute) for attribute, _, _ in PERMISSIONS)


def test_every_setting_is_in_env_example_and_the_readme() -> None:
    read = set(re.findall(r'get\("([A-Z_]+)"', (REPO / "bot" / "config.py").read_text(encoding="utf-8")))
    example = set(re.findall(r"^([A-Z_]+)=", (REPO / ".env.example").read_text(encoding="utf-8"), re.M))
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z_]+)`", cell)}
    assert read == example == documented


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_service_runs_the_bot_from_its_folder_and_stops_it_with_sigterm() -> None:
    service = _unit()["Service"]
    home = service["WorkingDirectory"]
    assert shlex.split(service["ExecStart"]) == [f"{home}/.venv/bin/python", "-m", "bot", "run"]
    assert (service["KillSignal"], service["Restart"], service["ReadWritePaths"]) == (
        "SIGTERM",
        "on-failure",
        f"{home}/data",
    )
    assert f"sudo git clone <this repository> {home}" in README
    command = [sys.executable, *shlex.split(service["ExecStart"])[1:], "--help"]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0 and "usage: python -m bot run" in run.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """systemd's own check (unknown keys, a command that is not executable), on the unit pointed at this
    checkout instead of /opt/briefing-bot."""
    home = _unit()["Service"]["WorkingDirectory"]
    unit = tmp_path / UNIT.name
    text = UNIT.read_text(encoding="utf-8").replace(home, str(REPO))
    unit.write_text(text.replace(f"{REPO}/.venv/bin/python", sys.executable), encoding="utf-8")
    check = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (check.returncode, check.stderr) == (0, "")
