"""Text whose figures are computed from the data: `{{ nombre: SELECT … | FCFA }}` and friends.

The directive engine shared by the dossier (`datactiviste dossier`) and lessons: `parse` finds
the directives in a text (with their line), `evaluate` runs them against a project database and
returns the text with every figure in place plus the list of facts (SQL, value, data behind),
so a publication can be re-checked before printing. Nothing here knows about dossiers.

    from datactiviste.facts import evaluate
    result = evaluate(text, connection, "fr")
    result.plain()        # the text with numbers written the reader's way
    result.facts          # one Fact per directive: kind, line, sql, value, rows
"""

from datactiviste.facts.evaluate import Evaluation, evaluate
from datactiviste.facts.model import Fact
from datactiviste.facts.syntax import Directive, parse

__all__ = ["Directive", "Evaluation", "Fact", "evaluate", "parse"]
