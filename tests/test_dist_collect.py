"""What the frozen build collects (packaging/collect.py), checked without running PyInstaller."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import collect  # noqa: E402

PYPROJECT = ROOT / "pyproject.toml"


def test_runtime_requirements_come_from_pyproject():
    names = [n.lower() for n in collect.runtime_requirements(pyproject=PYPROJECT)]
    assert "click" in names and "datasette" in names
    assert "pytest" not in names and "pyinstaller" not in names  # extras stay out


def test_every_installed_xstatic_package_is_bundled():
    bundled = {n.lower() for n in collect.bundled_requirements(PYPROJECT)}
    installed = {name.lower() for name in collect.xstatic_distributions()}
    # Leaflet and MarkerCluster are what maps and the Datasette map inline; whatever other
    # xstatic package happens to be installed travels too (the inliner looks them up by name).
    assert {"xstatic-leaflet", "xstatic-leaflet-markercluster"} <= installed
    assert installed <= bundled


def test_datasette_templates_and_static_files_are_collected():
    datas = collect.distribution_datas("datasette")
    destinations = {dest for _src, dest in datas}
    assert "datasette/templates" in destinations and "datasette/static" in destinations
    assert all(Path(src).is_file() and not src.endswith(".py") for src, _dest in datas)


def test_xstatic_leaflet_files_keep_their_package_path():
    datas = collect.distribution_datas("xstatic-leaflet")
    assert any(src.endswith("leaflet.js") and dest == "xstatic/pkg/leaflet/data" for src, dest in datas)


def test_our_own_data_files_are_all_collected():
    datas = collect.package_datas(ROOT / "datactiviste")
    destinations = {dest for _src, dest in datas}
    assert "datactiviste/i18n/locale/fr/LC_MESSAGES" in destinations
    assert "datactiviste/assets/geo" in destinations
    assert any(d.startswith("datactiviste/sample_data/") for d in destinations)
    assert any(d.startswith("datactiviste/curricula/") for d in destinations)
    assert not any(src.endswith((".py", ".pyc")) for src, _dest in datas)


@pytest.mark.parametrize("relative, expected", [
    ("datasette/templates/base.html", True), ("folium/templates/fol.js", True),
    ("datasette/app.py", False), ("numpy/core/tests/data/x.csv", False), ("yaml/_yaml.cpython-311.so", False),
    ("click-8.1.dist-info/METADATA", False), ("../../bin/datasette", False), ("six.py", False),
    ("matplotlib/__init__.pyi", False),
])
def test_what_counts_as_data(relative, expected):
    assert collect.is_data_file(relative) is expected


@pytest.mark.parametrize("destination, kept", [
    ("babel/locale-data/fr.dat", True), ("babel/locale-data/fr_SN.dat", True), ("babel/locale-data/en.dat", True),
    ("babel/locale-data/root.dat", True), ("babel/locale-data/de.dat", False), ("babel/locale-data/zh_Hant.dat", False),
    ("babel/global.dat", True), ("datasette/templates/de.html", True),
])
def test_only_french_and_english_babel_locales_are_kept(destination, kept):
    assert collect.keep_babel_locale(destination) is kept


@pytest.mark.parametrize("destination, stripped", [
    ("numpy/_core/_multiarray_umath.so", False), ("numpy.libs/libscipy_openblas64_.so", False),
    ("PIL/_imaging.so", True), ("libsqlite3.so.0", True), ("numpyish/x.so", True),
])
def test_numpy_is_never_stripped(destination, stripped):
    assert collect.should_strip(destination) is stripped


def test_build_tools_are_excluded_and_the_spec_keeps_docstrings():
    assert {"setuptools", "pkg_resources", "distutils", "_distutils_hack"} <= set(collect.EXCLUDES)
    spec = (ROOT / "packaging" / "datactiviste.spec").read_text("utf-8")
    assert "optimize=0" in spec and "strip=False" in spec and "optimize=2," not in spec


def test_hidden_imports_cover_lazy_commands_and_dynamic_backends():
    pytest.importorskip("PyInstaller")
    modules = set(collect.hidden_imports([], collect.bundled_requirements(PYPROJECT)))
    for target in __import__("datactiviste.cli", fromlist=["COMMANDS"]).COMMANDS.values():
        assert target.split(":")[0] in modules
    assert "datasette.facets" in modules and "xstatic.pkg.leaflet" in modules
    assert "matplotlib.backends.backend_svg" in modules


@pytest.mark.parametrize("destination, kept", [
    ("matplotlib/mpl-data/sample_data/goog.npz", False), ("matplotlib/mpl-data/images/home.png", False),
    ("matplotlib/mpl-data/fonts/afm/pagko8a.afm", False), ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", True),
    ("matplotlib/mpl-data/matplotlibrc", True), ("matplotlib/mpl-data/stylelib/ggplot.mplstyle", True),
    ("xstatic/pkg/leaflet/data/leaflet-src.js.map", False), ("xstatic/pkg/leaflet/data/leaflet-src.js", False),
    ("xstatic/pkg/jquery/data/jquery.js", False), ("xstatic/pkg/jquery/data/jquery.slim.min.js", False),
])
def test_unused_matplotlib_data_is_left_out(destination, kept):
    assert collect.keep_data(destination) is kept


def test_every_file_the_offline_inliner_and_the_server_read_is_kept():
    from datactiviste.offline import XSTATIC_FILES
    from datactiviste.serve.map import vendor_files

    names = {f"xstatic/pkg/{module.rsplit('.', 1)[1]}/data/{file}" for module, file in XSTATIC_FILES.values()}
    names |= {f"xstatic/pkg/{p.parent.parent.name}/data/{p.name}" for p in vendor_files().values()}
    assert all(collect.keep_data(name) for name in names)
