"""``eventcontracts import``: adopt the schemas and sample events a team already has.

One module per job: :mod:`reading` turns a file into a JSON value, :mod:`splitting` finds the
events a schema document describes, :mod:`envelope` gives each the envelope the registry
expects, :mod:`versions` writes it as the next version, :mod:`filing` files sample events
under the newest version they validate against.
"""

from eventcontracts.importer.filing import FiledEvents, file_events
from eventcontracts.importer.reading import Refused
from eventcontracts.importer.versions import Imported, import_schema_files

__all__ = ["FiledEvents", "Imported", "Refused", "file_events", "import_schema_files"]
