"""One page per feature; each takes the facade (and the operations runner) in its constructor."""
