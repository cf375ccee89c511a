"""The event catalog site: every event, version, consumer and bus rule, browsable and searchable.

``eventcontracts catalog build`` reads the registry, its consumer files and the bus rules,
compares every two versions of each schema with the compatibility engine, and writes a static
site (plain HTML, CSS and a little JavaScript) that opens from ``file://`` or an S3 bucket.
"""
