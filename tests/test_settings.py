"""Settings: one typed object from the environment and options, read when a run starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from factwatch.settings import SETTINGS, Settings, SettingsError, load_settings, settings_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_without_environment():
    settings = load_settings({})
    assert settings == Settings()
    assert settings.retry_delays == (5.0, 30.0) and settings.db == "factwatch.duckdb"


def test_environment_then_options():
    env = {"FACTWATCH_DB": "/srv/a.duckdb", "FACTWATCH_HOST_DELAY": "2.5", "FACTWATCH_RETRY_DELAYS": "1, 2,3",
           "FACTWATCH_ALLOW_PRIVATE_NETWORKS": "yes", "FACTWATCH_TASK_RUNNER": " Dask "}
    settings = load_settings(env, host_delay=0.0, db=None)
    assert settings.db == "/srv/a.duckdb"
    assert settings.host_delay == 0.0  # the option wins; None means "not given"
    assert settings.retry_delays == (1.0, 2.0, 3.0)
    assert settings.allow_private_networks is True and settings.task_runner == "dask"


@pytest.mark.parametrize("variable, value, message", [
    ("FACTWATCH_RETRY_DELAYS", "5,soon", "FACTWATCH_RETRY_DELAYS='5,soon' is not valid"),
    ("FACTWATCH_RETRIES", "-1", "FACTWATCH_RETRIES='-1' is not valid: must be a whole number >= 0"),
    ("FACTWATCH_TASK_RUNNER", "ray", "must be local or dask"),
    ("FACTWATCH_ALLOW_PRIVATE_NETWORKS", "maybe", "use 1 or 0"),
    ("FACTWATCH_HOST_DELAY", "nan", "must be a number >= 0"),
])
def test_a_bad_value_names_its_variable(variable, value, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings({variable: value})


def test_settings_are_read_at_call_time_not_import(monkeypatch):
    monkeypatch.setenv("FACTWATCH_BATCH_SIZE", "7")
    assert load_settings().batch_size == 7
    monkeypatch.setenv("FACTWATCH_BATCH_SIZE", "9")
    assert load_settings().batch_size == 9


def test_readme_settings_table_is_generated_from_the_settings():
    assert settings_table() in README.read_text(encoding="utf-8")
    assert {s.field for s in SETTINGS} == set(Settings.__slots__)


def test_cli_reports_a_bad_setting_in_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from factwatch.cli.app import app

    monkeypatch.setenv("FACTWATCH_RETRY_DELAYS", "x")
    result = CliRunner().invoke(app, ["check", "http://example.org/a", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "FACTWATCH_RETRY_DELAYS='x' is not valid" in result.output
    assert "Traceback" not in result.output
