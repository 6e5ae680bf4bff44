"""Pooling links."""
