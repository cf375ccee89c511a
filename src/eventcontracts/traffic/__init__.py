"""Reading captured EventBridge traffic: events from archives, logs, buckets and test fixtures.

``read_events`` streams the events of files and folders in every form a capture takes (one
event, an array, JSON Lines, concatenated objects, PutEvents requests, CloudWatch Logs exports
and subscription messages, gzip of any of these), bounded in size and depth, and refuses what
it cannot read with one line naming ``file:line``. ``drift`` and ``infer`` read with it.

It imports the standard library, ``bounded`` (its limits) and ``errors`` only.
"""

from eventcontracts.traffic.model import CapturedEvent, TrafficError
from eventcontracts.traffic.reading import read_events

__all__ = ["CapturedEvent", "TrafficError", "read_events"]
