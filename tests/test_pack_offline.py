"""A kit made from a pip install installs and runs with no network: every dependency's wheel
is in it (repacked from this installation), and the learners' kit carries no solutions."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import venv

from datactiviste.packaging.kit import make_kit, verify_kit

DEAD_PROXY = "http://127.0.0.1:9"   # any attempt to reach the network fails at once


def test_a_pip_kit_installs_and_runs_offline_in_a_fresh_venv(tmp_path):
    started = time.monotonic()
    kit = make_kit(tmp_path / "kit", profile="learners").path
    assert verify_kit(kit).ok
    programme = kit / "programme"
    wheels = {w.name.split("-")[0].lower() for w in programme.glob("*.whl")}
    assert {"datactiviste", "click", "datasette", "matplotlib", "pyyaml"} <= wheels
    readme = (kit / "LISEZMOI-README.txt").read_text(encoding="utf-8-sig")
    assert "pip install --no-index --find-links programme datactiviste" in readme
    assert "rien à installer" not in readme and "nothing to install" not in readme
    assert not [p for p in (kit / "fiches").rglob("*") if "animateur" in p.name or "facilitator" in p.name]
    assert "Solution" not in (kit / "fiches" / "fr" / "01-question.html").read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    bin_dir = fresh / ("Scripts" if os.name == "nt" else "bin")
    offline = dict(os.environ, HTTP_PROXY=DEAD_PROXY, HTTPS_PROXY=DEAD_PROXY, http_proxy=DEAD_PROXY,
                   https_proxy=DEAD_PROXY, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
                   DATACTIVISTE_HOME=str(tmp_path / "home"), DATACTIVISTE_LANG="fr")
    offline.pop("PYTHONPATH", None)
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--no-index", "--find-links",
                              str(programme), "datactiviste"], capture_output=True, text=True, env=offline,
                             cwd=tmp_path, timeout=600)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    listing = subprocess.run([str(bin_dir / "datactiviste"), "lesson", "list"], capture_output=True,
                             text=True, env=offline, cwd=tmp_path, timeout=120)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.startswith("1. D'une question à un jeu de données")
    print(f"pip kit made, installed offline and run in {time.monotonic() - started:.0f} s")
    assert sys.prefix != str(fresh)
