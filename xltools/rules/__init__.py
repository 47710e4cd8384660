"""Rule sets as data: the numbers of the entrustment agreement and the rules computed from them."""

from xltools.rules.loader import DEFAULT_RULESET, ENV_VAR, load_ruleset, shipped_rulesets
from xltools.rules.model import LEVEL_LABELS, LEVELS, RuleSet, level_key

__all__ = [
    "DEFAULT_RULESET",
    "ENV_VAR",
    "LEVELS",
    "LEVEL_LABELS",
    "RuleSet",
    "level_key",
    "load_ruleset",
    "shipped_rulesets",
]
