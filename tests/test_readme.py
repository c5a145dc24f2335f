"""Every command is documented in the README, and its --help runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from gongbao.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def command_names() -> list[str]:
    click_group = typer.main.get_command(app)
    return sorted(click_group.commands)


def test_readme_has_the_two_setup_commands() -> None:
    assert "make demo" in README and "make test" in README


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_documented(name: str) -> None:
    assert re.search(rf"`gongbao {name}\b", README), f"README does not document `gongbao {name}`"


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(name: str) -> None:
    result = subprocess.run([sys.executable, "-m", "gongbao", name, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
