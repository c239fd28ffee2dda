"""Reading the officer's documents (``quanze read``): a 决定书, 告知书 or case folder becomes a case file.

extract.py (a file's paragraphs, bounded before it is opened), fields.py (what one document states,
each value with its words and paragraph), casefile.py (documents grouped by case, each field read,
offered as a choice, or 未填写 with the reason). Above law and model; below present (docs/read.md).
"""
