"""The offline kit: what `datactiviste pack` writes, and how `pack verify` catches a bad copy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from datactiviste import __version__
from datactiviste.errors import DatactivisteError
from datactiviste.packaging import fat32, kit, manifest, readme, wheel


@pytest.fixture(scope="module")
def built_kit(tmp_path_factory) -> Path:
    """One kit, made once for the module (handouts for 8 modules × 2 languages take a moment)."""
    tiles = tmp_path_factory.mktemp("tiles") / "senegal.mbtiles"
    connection = sqlite3.connect(tiles)
    connection.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
    connection.commit()
    connection.close()
    target = tmp_path_factory.mktemp("usb") / "kit atelier"
    kit.make_kit(target, tiles=[tiles])
    return target


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_kit_holds_program_handouts_data_tiles_readme_and_manifest(built_kit):
    files = _files(built_kit)
    assert f"programme/{wheel.wheel_name()}" in files  # not frozen here: the wheel
    assert "fiches/fr/index.html" in files and "fiches/en/index.html" in files
    assert any(f.startswith("fiches/fr/01-") for f in files) and any(f.startswith("fiches/en/01-") for f in files)
    assert any(f.startswith("fiches/fr/01-") and "-animateur" in f for f in files)  # the trainer's kit
    assert any(f.startswith("fiches/en/01-") and "facilitator" in f for f in files)  # has the solutions
    assert "donnees/budget_communes/budget_communes_2024.csv" in files
    assert "donnees/README.md" in files
    assert "tuiles/senegal.mbtiles" in files
    assert readme.README_NAME in files and manifest.MANIFEST in files
    assert not any(".partial" in p.name for p in built_kit.parent.iterdir())


def test_manifest_has_the_sha256_of_every_other_file(built_kit):
    listed = manifest.read_manifest(built_kit)
    assert sorted(listed) == [f for f in _files(built_kit) if f != manifest.MANIFEST]
    for relative, digest in listed.items():
        assert manifest.sha256(built_kit / relative) == digest


def test_every_name_is_fat32_and_windows_safe_and_nothing_is_a_symlink(built_kit):
    for path in built_kit.rglob("*"):
        assert not path.is_symlink()
        assert fat32.name_problem(path.relative_to(built_kit).as_posix()) is None


def test_readme_is_french_then_english_and_opens_in_old_notepad(built_kit):
    data = (built_kit / readme.README_NAME).read_bytes()
    assert data.startswith("\ufeff".encode("utf-8")) and b"\r\n" in data and b"\n\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8-sig")
    french, english = text.index("Contenu"), text.index("Contents:")
    assert french < english
    assert "senegal.mbtiles" in text and wheel.wheel_name() in text
    assert "pack verify" in text


def test_same_inputs_give_the_same_kit(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    kit.make_kit(first)
    kit.make_kit(second)
    assert (first / manifest.MANIFEST).read_bytes() == (second / manifest.MANIFEST).read_bytes()


def test_the_wheel_installs_and_runs_without_the_repository(built_kit, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(target), str(built_kit / "programme" / wheel.wheel_name())], check=True)
    code = ("import datactiviste, datactiviste.cli, sys; "
            "print(datactiviste.__file__); sys.argv=['datactiviste','--version']; datactiviste.cli.main()")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(target)))
    assert result.stdout.splitlines()[0].startswith(str(target))
    assert f"datactiviste {__version__}" in result.stdout
    assert (target / "datactiviste" / "curricula" / "01-question" / "fr.yaml").is_file()
    assert (target / "datactiviste" / "i18n" / "locale" / "fr" / "LC_MESSAGES" / "core.po").is_file()


def test_verify_passes_on_a_good_copy_and_lists_added_files(built_kit, run_cli):
    (built_kit / "mon-travail.db").write_bytes(b"x")
    try:
        result = run_cli("pack", "verify", built_kit)
    finally:
        (built_kit / "mon-travail.db").unlink()
    assert result.exit_code == 0, result.output
    assert "complet" in result.output and "mon-travail.db" in result.output


def test_verify_names_missing_and_damaged_files(tmp_path, run_cli):
    target = tmp_path / "copie"
    kit.make_kit(target)
    (target / "fiches" / "fr" / "index.html").unlink()
    damaged = target / "donnees" / "budget_communes" / "budget_communes_2024.csv"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    result = run_cli("pack", "verify", target)
    assert result.exit_code == 2
    assert "fiches/fr/index.html" in result.output
    assert "donnees/budget_communes/budget_communes_2024.csv" in result.output
    assert "2 fichiers" in result.output and "Traceback" not in result.output


def test_verify_refuses_a_folder_without_manifest(tmp_path, run_cli):
    result = run_cli("pack", "verify", tmp_path)
    assert result.exit_code == 2 and "MANIFEST" in result.output


def test_zip_kit_keeps_the_manifest_and_verifies(tmp_path, run_cli):
    result = run_cli("pack", "-o", tmp_path / "kit.zip")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "kit.zip") as archive:
        names = archive.namelist()
        assert manifest.MANIFEST in names and readme.README_NAME in names
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert run_cli("pack", "verify", tmp_path / "kit.zip").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["kit.zip"]


def test_a_name_windows_refuses_stops_before_anything_is_written(tmp_path):
    tiles = tmp_path / "aux.mbtiles"
    tiles.write_bytes(b"tiles")
    with pytest.raises(DatactivisteError, match="aux.mbtiles"):
        kit.make_kit(tmp_path / "kit", tiles=[tiles])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aux.mbtiles"]


@pytest.mark.parametrize("relative, bad", [
    ("donnees/a.csv", False), ("donnees/é à.csv", False), ("CON", True), ("a/com1.txt", True),
    ("a/b?.csv", True), ("a/b:c", True), ("a/trailing.", True), ("a/trailing ", True), ("x" * 201, True),
])
def test_fat32_and_windows_name_rules(relative, bad):
    assert (fat32.name_problem(relative) is not None) is bad


def test_case_collisions_and_4_gib_files_are_refused():
    with pytest.raises(DatactivisteError, match="Readme.txt"):
        fat32.check_entries({"a/readme.txt": 1, "a/Readme.txt": 1})
    with pytest.raises(DatactivisteError, match="FAT32"):
        fat32.check_entries({"tuiles/monde.mbtiles": 4 * 1024**3})


def test_not_enough_space_is_said_before_writing(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(DatactivisteError, match="Pas assez d'espace|Not enough") as error:
        kit.make_kit(tmp_path / "kit")
    assert "Mio sont libres" in error.value.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, read-only even for root")
def test_a_read_only_place_is_a_clear_error(run_cli):
    result = run_cli("pack", "-o", "/proc/kit-atelier")
    assert result.exit_code == 2
    assert "/proc" in result.output and "Traceback" not in result.output


def test_an_existing_non_empty_folder_is_not_overwritten(tmp_path, run_cli):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "important.txt").write_text("garder")
    result = run_cli("pack", "-o", tmp_path / "kit")
    assert result.exit_code == 2
    assert (tmp_path / "kit" / "important.txt").read_text() == "garder"


def test_pack_without_output_says_what_to_give(run_cli):
    result = run_cli("pack")
    assert result.exit_code == 2 and "-o" in result.output


def test_an_extra_program_goes_under_programme(tmp_path):
    exe = tmp_path / "datactiviste.exe"
    exe.write_bytes(b"MZ fake windows build")
    made = kit.make_kit(tmp_path / "kit.zip", programs=[exe])
    with zipfile.ZipFile(made.path) as archive:
        info = archive.getinfo("programme/datactiviste.exe")
        assert (info.external_attr >> 16) & 0o111


def test_an_extra_one_folder_build_is_copied_without_its_symlinks(tmp_path):
    build = tmp_path / "datactiviste-windows"
    (build / "_internal").mkdir(parents=True)
    (build / "datactiviste.exe").write_bytes(b"MZ")
    (build / "_internal" / "python311.dll").write_bytes(b"dll")
    try:
        (build / "_internal" / "alias.dll").symlink_to("python311.dll")
    except OSError:  # no symlinks on this system (Windows without the privilege)
        pass
    made = kit.make_kit(tmp_path / "kit", programs=[build])
    copied = made.path / "programme" / "datactiviste-windows"
    assert (copied / "datactiviste.exe").read_bytes() == b"MZ"
    assert not [p for p in copied.rglob("*") if p.is_symlink()]
    if (build / "_internal" / "alias.dll").is_symlink():
        assert (copied / "_internal" / "alias.dll").read_bytes() == b"dll"
