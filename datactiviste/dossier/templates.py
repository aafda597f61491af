"""`dossier new`: a folder with a dossier.md that builds at once, and a short guide.

When the project database exists, the template's examples use its first table, so the first
`dossier build` works and shows a real number; the writer then replaces them. Existing files are
never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from datactiviste.dossier.folder import DOSSIER_FILE, write_atomically
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.project import data_tables
from datactiviste.ingest.names import quote

GUIDE_FILE = {"fr": "GUIDE.md", "en": "GUIDE.md"}

DOSSIER = {
    "fr": """---
titre: Le constat en une phrase (un fait vérifié, pas une accusation)
sous-titre: La question, le lieu, la période
auteurs: Équipe 1 — conteur, éclaireur, analyste, ingénieur
base: {database}
langue: fr
---

## La question

Écrivez ici, en une ou deux phrases, la question à laquelle le dossier répond.

## Ce que disent les données

{example}

## Limites

Ce que les données ne disent pas, ce qui a été écarté et pourquoi. La section « Méthode »
(sources, empreintes, lignes écartées, requêtes) est ajoutée automatiquement.
""",
    "en": """---
title: The finding in one sentence (a checked fact, not an accusation)
subtitle: The question, the place, the period
authors: Team 1 — storyteller, scout, analyst, engineer
database: {database}
lang: en
---

## The question

Write here, in one or two sentences, the question this dossier answers.

## What the data say

{example}

## Limits

What the data do not say, what was set aside and why. The "Method" section (sources,
checksums, lines set aside, queries) is added automatically.
""",
}

EXAMPLE = {
    "fr": ("La table {table} compte {{{{ nombre: SELECT count(*) FROM {quoted} | lignes }}}}.\n\n"
           "{{{{ tableau: SELECT * FROM {quoted} LIMIT 5 | titre=\"Les cinq premières lignes\" }}}}"
           "\n\nSource : {{{{ source: {table} }}}}."),
    "en": ("The table {table} has {{{{ number: SELECT count(*) FROM {quoted} | rows }}}}.\n\n"
           "{{{{ table: SELECT * FROM {quoted} LIMIT 5 | title=\"The first five rows\" }}}}"
           "\n\nSource: {{{{ source: {table} }}}}."),
}
NO_TABLE = {
    "fr": "(Importez des données, puis écrivez vos chiffres avec `{{ nombre: SELECT … }}`.)",
    "en": "(Import data, then write your figures with `{{ number: SELECT … }}`.)",
}

GUIDE = {
    "fr": """# Écrire le dossier

Le texte est du Markdown ordinaire (`## Titre`, `**gras**`, listes). Chaque chiffre est
calculé par sa requête au moment de la construction : ne tapez pas de chiffres à la main.

- `{{ nombre: SELECT sum(voix) FROM resultats | voix }}`
  → un nombre à la française (26 818 voix) ; `| %` pour un pourcentage, `| décimales=1`
- `{{ tableau: SELECT … | lignes=10 | titre="…" }}`
  → un tableau (au plus 10 lignes ici)
- `{{ graphique: voix.json }}`
  → un graphique enregistré par `datactiviste chart … -o voix`
- `{{ graphique: SELECT liste, sum(voix) AS voix FROM resultats GROUP BY liste | type=bar | titre="…" }}`
  → un graphique décrit sur place (x, y, couleur, titre, source…)
- `{{ carte: SELECT region, … | region=region | valeur=participation | titre="…" }}`
  → une carte (ou `lat=`, `lon=`, `lieu=`, `taille=`)
- `{{ source: resultats }}`
  → le fichier d'origine d'une table, sa date d'import et sa licence

Les commandes, depuis le dossier parent :

```
datactiviste dossier build DOSSIER     # écrit dossier.html (et dossier.pdf si Chromium est là)
datactiviste dossier check DOSSIER     # la vérification avant publication
datactiviste dossier pack DOSSIER -o dossier.zip   # pour qu'une autre rédaction le refasse
```

`check` relance chaque requête et signale : les chiffres qui ont changé depuis la dernière
construction, les nombres tapés à la main qu'aucune requête ne produit, les titres de graphique
ou de carte que leurs données contredisent, et les requêtes qui ne renvoient rien.
""",
    "en": """# Writing the dossier

The text is ordinary Markdown (`## Heading`, `**bold**`, lists). Each figure is computed by
its query when the dossier is built: do not type numbers by hand.

- `{{ number: SELECT sum(votes) FROM results | votes }}`
  → a number written the reader's way (26,818 votes); `| %` for a percentage, `| decimals=1`
- `{{ table: SELECT … | rows=10 | title="…" }}`
  → a table (at most 10 rows here)
- `{{ chart: votes.json }}`
  → a chart saved by `datactiviste chart … -o votes`
- `{{ chart: SELECT list, sum(votes) AS votes FROM results GROUP BY list | type=bar | title="…" }}`
  → a chart described in place (x, y, color, title, source…)
- `{{ map: SELECT region, … | region=region | value=turnout | title="…" }}`
  → a map (or `lat=`, `lon=`, `place=`, `size=`)
- `{{ source: results }}`
  → a table's original file, import date and licence

The commands, from the parent folder:

```
datactiviste dossier build FOLDER     # writes dossier.html (and dossier.pdf when Chromium is there)
datactiviste dossier check FOLDER     # the fact-check before publication
datactiviste dossier pack FOLDER -o dossier.zip   # for another newsroom to reproduce it
```

`check` re-runs every query and reports: figures that changed since the last build, numbers
typed by hand that no query produces, chart or map titles their data contradict, and queries
that return nothing.
""",
}


def _first_table(database: Path) -> str | None:
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = data_tables(connection)
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return tables[0] if tables else None


def new_dossier(folder: str | Path, database: str | Path = "datactiviste.db",
                lang: str = "fr") -> list[Path]:
    """Create FOLDER/dossier.md and FOLDER/GUIDE.md; returns the files written."""
    folder, database = Path(folder), Path(database)
    target = folder / DOSSIER_FILE
    if target.exists():
        raise DatactivisteError(_("{path} already exists: nothing was changed.").format(path=target),
                                hint=_("Choose another folder, or edit the existing dossier."))
    folder.mkdir(parents=True, exist_ok=True)
    relative = Path(os.path.relpath(database.resolve(), folder.resolve())).as_posix()
    table = _first_table(database)
    if table:
        quoted = quote(table)
        example = EXAMPLE[lang].format(table=table, quoted=quoted)
    else:
        example = NO_TABLE[lang]
    text = DOSSIER[lang].format(database=relative, example=example)
    written = [write_atomically(target, text.encode("utf-8"))]
    guide = folder / GUIDE_FILE[lang]
    if not guide.exists():
        written.append(write_atomically(guide, GUIDE[lang].encode("utf-8")))
    return written
