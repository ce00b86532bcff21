"""Injected failures for tests of the stand-ins: the next N calls answer an error, slowly, or both.

Also what the YooKassa stand-in's next refunds become. Each switch of a service replaces its
whole fault. Kept in the process's memory: meant for single-process tests, not for several workers.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass


@dataclass
class Fault:
    status: int = 0
    count: int = 0
    delay_seconds: float = 0.0
    drop_notifications: bool = False
    # Resend only: keep the letter, then answer the error (a lost answer).
    store_then_fail: bool = False
    # YooKassa only: what every next refund becomes ("pending" or "canceled"; "" is «succeeded at once»),
    # however many calls `count` lets fail, until the faults are cleared.
    refund_status: str = ""


# What a test may make the next refunds: "" keeps the default, succeeded at once.
REFUND_STATUSES = ("", "succeeded", "pending", "canceled")

_lock = threading.Lock()
_faults: dict[str, Fault] = {}


def set_fault(service: str, fault: Fault) -> None:
    with _lock:
        _faults[service] = fault


def clear_faults() -> None:
    with _lock:
        _faults.clear()


def take_fault(service: str) -> Fault | None:
    """The fault to apply to this call, counting it down; None when calls go through."""
    with _lock:
        fault = _faults.get(service)
        if fault is None or fault.count <= 0:
            return None
        fault.count -= 1
        return Fault(
            fault.status, 1, fault.delay_seconds, fault.drop_notifications, fault.store_then_fail, fault.refund_status
        )


def notifications_dropped() -> bool:
    with _lock:
        fault = _faults.get("yookassa")
        return bool(fault and fault.drop_notifications)


def refund_status() -> str:
    """What a new refund of the YooKassa stand-in becomes: succeeded unless a test said otherwise."""
    with _lock:
        fault = _faults.get("yookassa")
        return (fault.refund_status if fault else "") or "succeeded"


async def delay(fault: Fault | None) -> None:
    if fault and fault.delay_seconds:
        await asyncio.sleep(fault.delay_seconds)
