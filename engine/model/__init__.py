"""The shapes everything else uses: errors and problems, money and text, YAML reading, safe writes, settings,
the rules schema, the draft models with their Chinese labels, the facts registry, the findings catalogue, the RuleSet."""
