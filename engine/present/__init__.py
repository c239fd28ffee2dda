"""The output layer: words, the 追责 block, JSON, the review report, the 意见书, the reasoning."""
