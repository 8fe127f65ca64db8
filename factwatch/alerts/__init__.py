"""Pure: alert rules on claim changes (a small grammar), their evaluation against a stored flag, and the feed."""

from factwatch.alerts.rules import AlertRule, BadRule, StoredFlag, parse_rule, rule_matches

__all__ = ["AlertRule", "BadRule", "StoredFlag", "parse_rule", "rule_matches"]
