"""Math functions."""
