"""``eventcontracts check``: the CI gate.

Loads the registry in the working tree and, with ``--against``, the registry as it was at a
git ref; checks every new version of every schema against earlier ones in its mode and policy,
and enforces what only a registry-aware gate can: published versions do not change, an event
keeps its source and detail-type, a schema is not removed without a waiver.
"""
