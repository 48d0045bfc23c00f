"""Reusable Streamlit UI pieces: filters ⇄ URL, pure chart builders, Arabic helpers, i18n."""
