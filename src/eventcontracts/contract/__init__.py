"""Contract tests from the registry: strategies of valid events and the pytest plugin's suite."""

from eventcontracts.contract._live import live_versions
from eventcontracts.contract._suite import ContractSuite

__all__ = ["ContractSuite", "live_versions"]
