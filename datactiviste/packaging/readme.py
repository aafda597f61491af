"""The kit's README for trainers: French first, then English, in one plain-text file.

Plain text (UTF-8 with a BOM and Windows line ends) opens correctly in the Notepad of an old
Windows laptop. Each paragraph is a message id translated by gettext, so the French half
comes from the same catalogs as the rest of the program.
"""

from __future__ import annotations

from datactiviste import __version__
from datactiviste.i18n import _, get_language, set_language

README_NAME = "LISEZMOI-README.txt"


def _section(language: str, contents: dict[str, list[str]]) -> str:
    set_language(language)
    title = _("datactiviste {version}: offline kit for trainers").format(version=__version__)
    lines = [title, "=" * len(title), "",
             _("This kit works with no internet connection. Copy the whole folder onto each laptop "
               "(or leave it on the USB stick) and keep its files together."), "",
             _("Contents:")]
    labels = {
        "programme": _("programme/: the datactiviste program (nothing to install), or a wheel for Python users:"
                       " pip install datactiviste-*.whl"),
        "fiches": _("fiches/: printable handouts for each workshop module, for learners and facilitators "
                    "(open fiches/fr/index.html or fiches/en/index.html in a web browser)"),
        "donnees": _("donnees/: the training datasets, each with a README (source, licence, story)"),
        "tuiles": _("tuiles/: offline map tile packs"),
    }
    if "wheels" in contents:   # a kit made from a pip install: wheels, not a program
        labels["programme"] = _("programme/: datactiviste and every library it needs, as wheels for {target}. "
                                "Install with no internet: pip install --no-index --find-links programme "
                                "datactiviste").format(target=contents["wheels"][0])
    for folder, label in labels.items():
        if folder in contents:
            lines.append(f"  - {label}")
            lines += [f"      {name}" for name in contents[folder]]
    lines += ["", _("Getting started:"),
              _("  1. Open a terminal (Windows: type cmd in the Start menu) in the folder of the program."),
              _("  2. Run: datactiviste --help   (on Windows: datactiviste.exe --help)"),
              _("  3. Import a dataset: datactiviste import donnees/budget_communes/budget_communes_2024.csv"),
              _("  4. Explore it in the browser: datactiviste serve   (a whole room: datactiviste serve --classroom)"),
              _("  5. Follow the lessons: datactiviste lesson list"), "",
              _("Check the kit after copying it (it names any missing or damaged file):"),
              _("  datactiviste pack verify FOLDER_OF_THE_KIT"),
              _("MANIFEST lists the sha256 of every file (on Linux: sha256sum -c MANIFEST)."), "",
              _("macOS: the first time, right-click the program and choose Open (it is not signed)."),
              _("Linux: the program needs glibc 2.36 or newer (Debian 12, Ubuntu 22.10 or newer)."), ""]
    return "\n".join(lines)


def readme_text(contents: dict[str, list[str]]) -> str:
    """The README with a French then an English section; `contents` lists what each folder holds."""
    previous = get_language()
    try:
        text = _section("fr", contents) + "\n" + "-" * 72 + "\n\n" + _section("en", contents)
    finally:
        set_language(previous)
    return text


def readme_bytes(contents: dict[str, list[str]]) -> bytes:
    return ("\ufeff" + readme_text(contents).replace("\n", "\r\n")).encode("utf-8")
