"""On-device models (torch, numpy, pandas only). Never imports core or desktop."""
