"""`pack` from an installation that cannot give the libraries' wheels (run from a source folder,
a library installed without RECORD): a French refusal naming the way that works (`make dist`,
then `pack --program`), exit 2, nothing written; with --program, a kit that promises no pip
install."""

from __future__ import annotations

import importlib.metadata as metadata
from types import SimpleNamespace

import pytest

from datactiviste.packaging import dependencies, readme


def _from_a_source_folder(monkeypatch):
    """datactiviste itself is not a pip-installed distribution (PYTHONPATH on a checkout)."""
    real = metadata.distribution

    def distribution(name):
        if dependencies.normalise(name) == "datactiviste":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(dependencies.metadata, "distribution", distribution)


def _a_library_without_record(monkeypatch):
    """A dependency installed by something else than pip from a wheel (no RECORD to repack)."""
    monkeypatch.setattr(dependencies, "closure",
                        lambda root="datactiviste": [SimpleNamespace(metadata={"Name": "click"}, version="8.1.7",
                                                                     files=None)])


CAUSES = {"source folder": (_from_a_source_folder, "dossier source"),
          "no RECORD": (_a_library_without_record, "click n'a pas été installé depuis une wheel")}


@pytest.mark.parametrize("cause", CAUSES)
def test_pack_refuses_in_french_with_the_command_that_works(run_cli, tmp_path, monkeypatch, cause):
    make_it_fail, reason = CAUSES[cause]
    make_it_fail(monkeypatch)
    result = run_cli("--lang", "fr", "pack", "-o", tmp_path / "kit")
    assert result.exit_code == 2, result.output
    assert "Le kit ne peut pas contenir les bibliothèques" in result.output and reason in result.output
    assert "make dist" in result.output and "datactiviste pack -o KIT --program dist/datactiviste" in result.output
    assert "Traceback" not in result.output and "Erreur inattendue" not in result.output
    assert not (tmp_path / "kit").exists()
    assert not list(tmp_path.glob("*.partial*")) and list(tmp_path.iterdir()) == []


def test_with_a_program_the_kit_is_made_without_wheels_and_promises_no_pip_install(run_cli, tmp_path,
                                                                                    monkeypatch):
    _from_a_source_folder(monkeypatch)
    program = tmp_path / "dist" / "datactiviste"
    program.parent.mkdir()
    program.write_bytes(b"\x7fELF a frozen build")
    result = run_cli("--lang", "fr", "pack", "-o", tmp_path / "kit", "--program", program)
    assert result.exit_code == 0, result.output
    assert "seulement les programmes donnés avec --program" in result.output   # said, not silent
    kit = tmp_path / "kit"
    assert (kit / "programme" / "datactiviste").read_bytes() == program.read_bytes()
    assert not list((kit / "programme").glob("*.whl"))
    text = (kit / readme.README_NAME).read_text("utf-8-sig")
    assert "--no-index" not in text and "pip install --no-index" not in text
    assert run_cli("pack", "verify", kit).exit_code == 0
