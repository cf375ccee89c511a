"""``eventcontracts infer``: event schemas from the events a team already sends.

One module per job: :mod:`shape` counts what the samples at each place of a detail held,
:mod:`formats` tells which string formats a value has, :mod:`schema` turns a shape into a
schema, :mod:`document` into a registry document in EventBridge's own shape, :mod:`widen` widens
a known schema's latest version by the traffic, :mod:`samples` picks the events filed as
examples, :mod:`runner` does a run (reading with :mod:`eventcontracts.traffic`, writing and
filing with :mod:`eventcontracts.importer`, comparing with :mod:`eventcontracts.compat`), and
:mod:`report` prints it.
"""
