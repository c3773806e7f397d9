"""briefing: Chinese official and press reports to side-by-side English Word briefings."""

__version__ = "0.1.0"
