"""Contract tests of the example catalog, run by the eventcontracts pytest plugin.

The services under ``services/`` stand in for a team's real producers and consumers: they use
the committed generated package, as services would, so these tests check it too.
"""

import sys
from pathlib import Path

# The generated package is committed under generated/, not installed.
GENERATED = Path(__file__).resolve().parents[1] / "generated"
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))
