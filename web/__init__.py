"""``quanze serve``: the HTTP API and the officer web form, a thin adapter over the engine's ``check()``."""
