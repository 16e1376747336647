"""Code generators: each output is one walk over the validator tree."""
