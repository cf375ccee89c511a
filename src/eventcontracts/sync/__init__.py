"""``eventcontracts sync``: git is the source of truth, the EventBridge Schema Registry follows.

``plan`` says what ``apply`` would do; ``apply`` does only that and can be run again after any
failure. Each schema is tagged with a digest of the local versions synced to it, so the next plan
skips unchanged schemas with one paginated listing and no per-schema reads.
"""
