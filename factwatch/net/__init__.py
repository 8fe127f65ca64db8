"""HTTP: one requests.Session, typed errors, conditional GET, address guard, robots.txt, charset decoding."""
