"""What a page's download buttons would hand a viewer, under AppTest.

``components.export`` gives each button a callable (``st.download_button`` runs it on a
click). Streamlit registers it with the run's ``MediaFileManager`` under the button's
``deferred_file_id``; :class:`Downloads` records those callables so a test can run the one
behind a button, as a click would, and read the file it produces.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest


class Downloads:
    """Install with a ``monkeypatch`` before the first ``AppTest.run``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._files: dict[str, tuple[Callable[[], Any], str | None]] = {}
        original = MediaFileManager.add_deferred
        files = self._files

        def add_deferred(
            manager: MediaFileManager,
            data_callable: Callable[[], Any],
            mimetype: str | None,
            coordinates: str,
            file_name: str | None = None,
            *,
            element_id: str = "",
        ) -> str:
            file_id = original(
                manager,
                data_callable,
                mimetype,
                coordinates,
                file_name=file_name,
                element_id=element_id,
            )
            files[file_id] = (data_callable, file_name)
            return file_id

        monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)

    def file(self, at: AppTest, key: str) -> tuple[str, bytes]:
        """(file name, bytes) the button ``key`` of the last run would download."""
        buttons = [b for b in at.download_button if b.key == key]
        assert len(buttons) == 1, f"no download button {key!r}"
        file_id = buttons[0].proto.deferred_file_id
        assert file_id in self._files, f"{key!r} has no deferred file"
        produce, name = self._files[file_id]
        data = produce()
        return str(name), data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def csv(self, at: AppTest, key: str) -> pd.DataFrame:
        """The CSV of the export row ``key`` (UTF-8 with a byte-order mark), read back with
        every cell as text."""
        name, data = self.file(at, f"{key}_csv")
        assert name.endswith(".csv") and data.startswith(b"\xef\xbb\xbf"), name
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)

    def parquet(self, at: AppTest, key: str) -> pd.DataFrame:
        """The Parquet of the export row ``key``, read back."""
        name, data = self.file(at, f"{key}_parquet")
        assert name.endswith(".parquet"), name
        return pd.read_parquet(io.BytesIO(data))


def figures(at: AppTest) -> dict[str, dict[str, Any]]:
    """Every Plotly chart of the last run, by its widget key (or position): its figure as
    JSON (``data``, ``layout``) and the ``config`` it was given."""
    out: dict[str, dict[str, Any]] = {}
    for index, chart in enumerate(at.get("plotly_chart")):
        spec = json.loads(chart.proto.spec)
        spec["config"] = json.loads(chart.proto.config) if chart.proto.config else {}
        key = chart.proto.id.rsplit("-", 1)[-1] if chart.proto.id else str(index)
        out[key] = spec
    return out


def values(array: Any) -> list[Any]:
    """A Plotly JSON array as a list (Plotly 6 may send numbers as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        if shape:
            dims = [int(d) for d in str(shape).split(",")]
            raw = raw.reshape(dims)
        return list(raw.tolist())
    return list(array or [])
