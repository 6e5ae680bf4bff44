"""Array functions."""
