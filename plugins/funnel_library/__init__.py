"""Funnel Library: load, validate and publish a library of mini sales funnels."""

__version__ = "0.1.0"
