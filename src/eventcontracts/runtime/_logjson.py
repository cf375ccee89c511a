"""A logging formatter that writes each record as one JSON object on one line.

The runtime logs every event outcome with its fields in ``extra`` (event_id, source,
detail_type, schema_version, correlation_id, outcome, ...). Give a handler this formatter and
those fields become top-level JSON keys that CloudWatch Logs Insights (or any log search) can
filter on, as AWS Lambda Powertools' Logger does; no other configuration is needed.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

# The attributes every LogRecord has: whatever else a record carries came from ``extra``.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", logging.INFO, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """``{"timestamp", "level", "logger", "message", <extra fields>..., "exception"?}``.

    The timestamp is UTC with milliseconds (ISO 8601). Values JSON cannot hold are written with
    ``str()``. A record's exception, if any, is the ``exception`` key, as one string.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
