"""Injected failures for tests of the stand-ins: the next N calls answer an error, slowly, or both.

Kept in the process's memory: meant for single-process tests, not for several workers.
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
        return Fault(fault.status, 1, fault.delay_seconds, fault.drop_notifications, fault.store_then_fail)


def notifications_dropped() -> bool:
    with _lock:
        fault = _faults.get("yookassa")
        return bool(fault and fault.drop_notifications)


async def delay(fault: Fault | None) -> None:
    if fault and fault.delay_seconds:
        await asyncio.sleep(fault.delay_seconds)
