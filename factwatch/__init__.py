"""factwatch: watch news articles and flag changes to the facts in them."""

__version__ = "0.1.0"
