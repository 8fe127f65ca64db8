"""Version of the claims engine, stored with each version's claims.

Bump it when extraction rules change, so `reprocess` can tell stale claims.
"""

ENGINE_VERSION = "1"
