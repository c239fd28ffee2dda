"""Chinese names of the draft fields, by field path without list indexes: derived, not a table.

The names are the ``Field(title=…)`` of the models in ``engine/model/drafts.py`` (see engine/model/labels.py
``field_tables``); this module stays for the callers that import ``LABELS`` from it.
"""

from quanze.engine.model.labels import DESCRIPTIONS, TITLES

LABELS = TITLES  # path -> the field's title (名称或姓名 under 当事人)

__all__ = ["DESCRIPTIONS", "LABELS"]
