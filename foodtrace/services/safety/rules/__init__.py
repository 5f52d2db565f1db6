"""Food-safety rules: the market-entry gate, withdrawal periods, mass balance,
undesignated slaughter, and the district-wide list of anomalies with scores.
Configured by ``foodtrace/rules.toml`` (or the file ``FOODTRACE_RULES`` names)."""

from foodtrace.services.safety.rules.anomalies import Anomaly, CheckReport, check_district
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.safety.rules.entry import Decision, check_entry
from foodtrace.services.safety.rules.findings import Reason

__all__ = ["check_entry", "Decision", "Reason", "check_district", "CheckReport", "Anomaly", "RuleConfig",
           "load_rules"]
