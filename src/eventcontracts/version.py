"""The tool's version, in a module of its own: the CLI, the gate's reports and the generated
package's stamp read it without importing the public API (``eventcontracts/__init__.py``)."""

__version__ = "0.1.0"
