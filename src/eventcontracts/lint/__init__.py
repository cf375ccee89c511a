"""``eventcontracts lint``: is every file of the registry a well-formed EventBridge schema?

The rule catalog (:mod:`eventcontracts.lint.catalog`) is plain data so that the registry loader
can report with its IDs; the checks live in :mod:`eventcontracts.lint.checks`.
"""
