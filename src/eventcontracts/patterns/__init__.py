"""Bus rules as contracts: EventBridge event patterns checked against the registry schemas.

``matches(pattern, event)`` is an event-pattern matcher that follows EventBridge's documented
semantics; ``pattern_problems`` says why EventBridge would reject a pattern; ``rules check``
and ``rules test`` (the CLI) are built from :mod:`.against_schema` and :mod:`.matrix`.
"""

from eventcontracts.patterns.matcher import matches
from eventcontracts.patterns.syntax import pattern_problems

__all__ = ["matches", "pattern_problems"]
