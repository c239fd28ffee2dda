"""Facts of the law itself: versions by date, working days and holidays, article text, numbers in article text,
subjects and conducts."""
