"""What the commands share: the check of a choice option such as --format."""

from __future__ import annotations

from gongbao.errors import UsageError


def choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` when it is one of ``allowed``; a usage error (exit 2) naming the option otherwise."""
    if value not in allowed:
        raise UsageError(f"{option} 只能是 {'、'.join(allowed)}，不能是 {value!r}")
    return value
