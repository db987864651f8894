"""Reciprocity Trainer: situation cards and a self-assessment quiz on reciprocity in negotiation."""

__version__ = "0.1.0"
