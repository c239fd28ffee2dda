"""Many drafts: review a folder, sample cases, diff two rule sets."""
