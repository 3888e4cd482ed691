"""The alert scheduler works from what it is handed, not from the app's state."""

from __future__ import annotations

import subprocess
import sys


def test_alerts_and_analytics_do_not_import_the_app_state() -> None:
    code = (
        "import sys, backend.alerts.scheduler, backend.analytics.freshness;"
        "sys.exit(1 if 'backend.state' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
