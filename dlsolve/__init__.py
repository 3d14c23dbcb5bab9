"""dlsolve: deep-learning exam exercises solved step by step."""

__version__ = "0.1.0"
