"""The plugin's options are typed and bounded: each bad value is a config error when the
configuration loads, naming the option, before anything is built."""

from __future__ import annotations

import pytest

from sites import REPO, copy_project

BAD_VALUES = [
    ("enabled", "maybe"),
    ("library_dir", "no-such-folder"),
    ("library_dir", "[a, b]"),
    ("cache_dir", "[a, b]"),
    ("cache", "3"),
    ("source_branch", '""'),
    ("source_branch", '"my branch"'),
    ("source_branch", "[main]"),
    ("forecast_volume", "0"),
    ("forecast_volume", "-5"),
    ("forecast_volume", "1000000001"),
    ("forecast_volume", "true"),
    ("forecast_volume", "abc"),
    ("search", "sometimes"),
    ("publish", "[x]"),
]


def load(project, option: str, value: str):
    from mkdocs.config import load_config

    config = project / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(f"      {option}:")
    )  # set once
    assert text.count("  - funnel-library:\n") == 1
    config.write_text(
        text.replace("  - funnel-library:\n", f"  - funnel-library:\n      {option}: {value}\n"), encoding="utf-8"
    )
    return load_config(str(config))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("config") / "project")


@pytest.mark.parametrize("option, value", BAD_VALUES, ids=[f"{o}={v}" for o, v in BAD_VALUES])
def test_a_bad_value_is_a_config_error_naming_the_option(project, option, value, caplog):
    from mkdocs.exceptions import Abort, ConfigurationError

    with caplog.at_level("ERROR", logger="mkdocs.config"), pytest.raises((Abort, ConfigurationError)):
        load(project, option, value)
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1 and option in errors[0], errors
    if option == "forecast_volume":  # out of bounds or not a whole number: the message says which are allowed
        assert "Expected a whole number from 1 to 1,000,000,000, but received: " in errors[0], errors


def test_every_option_has_a_bad_value_tested():
    from funnel_library.config import FunnelLibraryConfig

    assert {option for option, _ in BAD_VALUES} == {name for name, _ in FunnelLibraryConfig._schema}


def test_good_values_load_and_paths_are_taken_from_the_config_file_folder(project):
    from pathlib import Path

    config = load(project, "forecast_volume", "250")
    options = config.plugins["funnel-library"].config
    assert options.forecast_volume == 250 and options.enabled is True
    assert Path(options.library_dir) == project / "library"
    assert Path(options.cache_dir) == project / ".cache" / "plugin" / "funnel-library"


def test_the_plugin_can_be_switched_off(project):
    config = load(project, "enabled", "false")
    assert config.plugins["funnel-library"].config.enabled is False
