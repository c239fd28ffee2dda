"""The condition language of rules/: resolve, compile to durable-rules, evaluate."""
