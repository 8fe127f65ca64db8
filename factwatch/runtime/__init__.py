"""How pages move between threads and processes: batching, worker pools, memory settings."""
