"""Loading a rules folder: strict reading, cross-checks, the durable-rules self-test, the cache."""
