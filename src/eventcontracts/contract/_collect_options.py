"""The command-line options of the contract plugin, shared by plugin.py and _collect.py."""

MAX_EXAMPLES_OPTION = "--eventcontracts-max-examples"
RANDOMIZE_OPTION = "--eventcontracts-randomize"
