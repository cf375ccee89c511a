"""The JSON Schema toolkit every engine stands on: which keywords hold subschemas
(:mod:`.keywords`), the one walk over subschemas (:mod:`.walk`), JSON pointers
(:mod:`.pointer`), the ``$ref`` inliner (:mod:`.inline`), the canonical form under which JSON
values are equal (:mod:`.canonical`) and sample values per string format (:mod:`.formats`).

It sits at the bottom of the tool: it imports the standard library, ``referencing`` and
``jsonschema`` only, never another part of eventcontracts.
"""
