"""Rasd (رصد) dashboard entry point: page config, navigation, language and global filters.

Run with ``streamlit run app.py`` (data from ``RASD_DATA``, default ``data/processed``).
Each page is one file in ``pages/`` with a stable URL path (``components.page.PAGES``:
overview is the default at ``/``, then timeline, sources, entities, articles, data); the
sidebar filters and the URL query string mirror each other (``components/filters.py``).
"""

from __future__ import annotations

import streamlit as st

from components.page import FRAME_KEY, load_context, pages_for, render_chrome

st.set_page_config(page_title="رصد · Rasd", page_icon=":material/radar:", layout="wide")

context = load_context()
navigation = st.navigation(pages_for(context.lang))
render_chrome(context)
st.session_state[FRAME_KEY] = True
navigation.run()
