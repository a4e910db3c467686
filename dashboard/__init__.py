"""Dashboard for the steering committees for the prevention of crime, drugs, prostitution and HIV/AIDS."""

__version__ = "0.1.0"
