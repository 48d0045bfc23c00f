"""Rasd (رصد) dashboard entry point: page config, sign-in, navigation, language and filters.

Run with ``streamlit run app.py`` (data from ``RASD_DATA``, default ``data/processed``).
Each page is one file in ``pages/`` with a stable URL path (``components.page.PAGES``:
overview is the default at ``/``, then timeline, sources, entities, articles, data); the
sidebar filters and the URL query string mirror each other (``components/filters.py``).

Order matters: sign-in (when configured, ``components/auth.py``) is checked before the
dataset is read or anything else is drawn; with ``RASD_DATA`` unset and no dataset at the
default path, the bundled corpus is built first (``components.data.ensure_default_dataset``).
"""

from __future__ import annotations

import streamlit as st

from components import auth
from components.data import ensure_default_dataset
from components.filters import url_lang
from components.page import FRAME_KEY, load_context, pages_for, render_chrome

# The tab icon is an emoji, which the browser draws itself: Streamlit turns a ":material/…:"
# page icon into an image fetched from fonts.gstatic.com (a third party, and nothing offline).
# Material icons elsewhere (menu, buttons) use the font Streamlit serves from this app.
st.set_page_config(page_title="رصد · Rasd", page_icon="📡", layout="wide")

lang = url_lang()
sign_in = auth.config()
if sign_in.required and not auth.is_logged_in():
    # Navigation mode without a menu: nothing about the pages is shown before sign-in.
    st.navigation(pages_for(lang), position="hidden")
    auth.gate(lang, auth=sign_in)  # stops the run

ensure_default_dataset(lang)
context = load_context()
navigation = st.navigation(pages_for(context.lang))
render_chrome(context, page_path=navigation.url_path)
st.session_state[FRAME_KEY] = True
navigation.run()
