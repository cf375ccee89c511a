"""Fault injection: every Nth call is throttled, fails with a 500, loses its connection, or is
denied (403 AccessDeniedException, as IAM answers a role without the permission)."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field


class Fault(enum.Enum):
    DROP = "drop"
    FAIL = "fail"
    THROTTLE = "throttle"
    DENY = "deny"


@dataclass(frozen=True)
class Faults:
    """Which calls go wrong; 0 (the default) turns a kind off.

    Calls are counted from 1 across all operations. When several kinds fall on the same call,
    a dropped connection wins over a 500, a 500 over a throttle, and a throttle over a denial.
    """

    throttle_every: int = 0
    fail_every: int = 0
    drop_every: int = 0
    deny_every: int = 0

    def __post_init__(self) -> None:
        for name in ("throttle_every", "fail_every", "drop_every", "deny_every"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 (off) or a positive number")

    @property
    def enabled(self) -> bool:
        return bool(self.throttle_every or self.fail_every or self.drop_every or self.deny_every)


@dataclass
class FaultCounter:
    """Counts calls (thread-safely) and says which fault, if any, the next call gets."""

    faults: Faults
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_call(self) -> Fault | None:
        with self._lock:
            self.calls += 1
            n = self.calls
        for every, fault in (
            (self.faults.drop_every, Fault.DROP),
            (self.faults.fail_every, Fault.FAIL),
            (self.faults.throttle_every, Fault.THROTTLE),
            (self.faults.deny_every, Fault.DENY),
        ):
            if every and n % every == 0:
                return fault
        return None
