"""The runtime half of vschema: the validator tree, its builders and its checks."""
