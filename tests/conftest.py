"""Shared fixtures. Integration tests run against the database named by WMS_TEST_DB
(sqlite by default, or postgresql) and the broadcast backend of WMS_TEST_BROADCAST."""

from __future__ import annotations

import os

os.environ.setdefault("WMS_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
