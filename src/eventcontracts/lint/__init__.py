"""``eventcontracts lint``: is every file of the registry a well-formed EventBridge schema?

The rule catalog (:mod:`eventcontracts.lint.catalog`) holds every lint rule, those the registry
loader reports with (:mod:`eventcontracts.registry.reading_rules`) included; the checks live in
:mod:`eventcontracts.lint.checks`.
"""
