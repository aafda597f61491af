"""The advocacy dossier: one offline file where every number is computed from the data.

A dossier is a folder with `dossier.md` (Markdown plus `{{ nombre: … }}` directives, see
`datactiviste.facts`) and a reference to the project database. `new` makes one, `build` writes
the self-contained dossier.html (and a PDF when a headless Chromium is present), `check`
re-runs every query before publication, `pack` zips it for another newsroom.
"""

from datactiviste.dossier.build import BuildResult, build_dossier
from datactiviste.dossier.check import CheckReport, check_dossier
from datactiviste.dossier.folder import Dossier, read_dossier
from datactiviste.dossier.pack import pack_dossier
from datactiviste.dossier.templates import new_dossier

__all__ = ["BuildResult", "CheckReport", "Dossier", "build_dossier", "check_dossier",
           "new_dossier", "pack_dossier", "read_dossier"]
