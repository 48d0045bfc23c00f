"""Rasd (رصد): Arabic news analytics. Pure package: no Streamlit import here."""

__version__ = "0.1.0"
