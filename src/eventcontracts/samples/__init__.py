"""Sample events that read like production, built directly from a version's schema (no
search): the catalog's one event per version and ``eventcontracts sample``'s seeded ones.

One module per job: :mod:`builder` builds a value of an inlined schema, :mod:`choices` makes
its choices (the first of each, or drawn from a seeded RNG), :mod:`scene` holds the account,
region and moment an event happens in, :mod:`names` says what a field's name says it holds,
:mod:`vocabulary` lists the words (regions, ISO codes, names), and :mod:`event` builds and
validates whole events of a version.
"""
