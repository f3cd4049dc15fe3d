"""Desktop full-text search for Vietnamese news articles."""

__version__ = "0.1.0"
