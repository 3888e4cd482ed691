"""Every setting is read in one place (backend/config.py) and listed in the README."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.config import Settings

ROOT = Path(__file__).resolve().parents[2]
ENV_READ = re.compile(r"os\.environ|getenv\(")
# The one read outside config.py: where the `lp` command is, looked up on PATH.
PATH_LOOKUP = 'shutil.which("lp", path=os.environ.get("PATH"))'


class RecordingEnv(dict[str, str]):
    """An environment that remembers every name asked of it."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[str]:  # from_env must ask by name, never list
        raise AssertionError("Settings.from_env lists the environment")


def _names_read() -> set[str]:
    env = RecordingEnv({"WMS_SECRET_KEY": "k"})
    Settings.from_env(env)
    return env.asked


def test_no_module_but_config_reads_the_environment() -> None:
    readers = []
    for path in sorted((ROOT / "backend").rglob("*.py")):
        if path.name == "config.py" and path.parent.name == "backend":
            continue
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ENV_READ.search(line) and PATH_LOOKUP not in line:
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []


def test_every_setting_read_is_in_the_readme() -> None:
    names = _names_read()
    assert "WMS_SMTP_HOST" in names and "WMS_COUNT_MAX_TASKS" in names  # the groups too
    readme = (ROOT / "README.md").read_text()
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_every_wms_name_in_the_backend_is_read_by_settings() -> None:
    """A WMS_* name written anywhere in backend/ (a docstring, an error message) is one
    Settings reads: no setting is documented in code but never read, or read elsewhere."""
    named = set()
    for path in (ROOT / "backend").rglob("*.py"):
        named.update(re.findall(r"\bWMS_[A-Z0-9_]*[A-Z0-9]\b", path.read_text()))
    named.discard("WMS_OWN_FLEET")  # the start of WMS_OWN_FLEET_{PREFIX,COUNTRY}
    assert sorted(named - _names_read() - {"WMS_DATA_DIR"}) == []


def test_values_reach_their_groups_and_bad_ones_are_refused() -> None:
    settings = Settings.from_env(
        {
            "WMS_SECRET_KEY": "k",
            "WMS_COUNT_RECOUNT_UNITS": "2",
            "WMS_PACK_WEIGHT_TOLERANCE_MIN_G": "80",
            "WMS_SMTP_PORT": "2525",
            "WMS_PRINT_WORKER": "yes",
            "WMS_ALERT_INTERVAL_SECONDS": "30",
        }
    )
    assert settings.control.recount_units == 2
    assert settings.shipping.weight_tolerance_min_g == 80
    assert settings.delivery.smtp_port == 2525
    assert settings.print_worker and settings.alert_interval_seconds == 30
    defaults = Settings.from_env({"WMS_SECRET_KEY": "k"})
    # From the environment both workers run unless turned off (issue: alerts and the
    # print worker on by default); a Settings built in code (tests) starts neither.
    assert defaults.print_worker and defaults.alert_interval_seconds == 60
    assert not Settings().print_worker and Settings().alert_interval_seconds == 0
    assert defaults.analytics_fold_seconds == 10 and defaults.render_processes == 1
    with pytest.raises(ValueError, match="WMS_GS1_COMPANY_PREFIX"):
        Settings.from_env({"WMS_SECRET_KEY": "k", "WMS_GS1_COMPANY_PREFIX": "12"})


def test_tour_set_up_reaches_wave_planning_and_cannot_be_negative() -> None:
    assert Settings.from_env({"WMS_SECRET_KEY": "k"}).tour_setup_metres == 60.0
    tuned = Settings.from_env({"WMS_SECRET_KEY": "k", "WMS_TOUR_SETUP_METRES": "150"})
    assert tuned.tour_setup_metres == 150.0
    with pytest.raises(ValueError, match="WMS_TOUR_SETUP_METRES"):
        Settings.from_env({"WMS_SECRET_KEY": "k", "WMS_TOUR_SETUP_METRES": "-5"})
