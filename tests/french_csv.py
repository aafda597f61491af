"""A small French open-data file as a French administration exports it, and the facts it holds.

cp1252, `;`, a title line, amounts `1 234,50` (no-break space) with `nd` for missing, dates
dd/mm/yyyy, codes with leading zeros, names with accents, apostrophes and hyphens. The expected
answers (mean, order by date, rows per commune) are computed here from the same rows with the
standard library, so the tests (installed package and frozen program) never hard-code them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

HEADER = ["Code commune", "Bénéficiaire", "Commune", "Date de paiement", "Montant (FCFA)", "Payé"]
NAMES = ["École Sénégalaise de Dakar", "l'école des filles", "SENEGAL SERVICES", "Centre de santé Sénégal",
         "Lycée Ndiaye", "L’École normale", "Association des Saint-Louisiens", "Ecole primaire Ndar"]
COMMUNES = [("01001", "Dakar-Plateau"), ("01002", "Médina"), ("02001", "Saint-Louis"), ("02001", "SAINT LOUIS"),
            ("03001", "Thiès"), ("03002", "Mbour")]


def rows(count: int = 30) -> list[list[str]]:
    """Deterministic rows: names cycle, amounts vary, every seventh amount is missing (nd)."""
    out = []
    for i in range(count):
        code, commune = COMMUNES[i % len(COMMUNES)]
        date = datetime.date(2018, 1, 1) + datetime.timedelta(days=(i * 97) % 1500)
        amount = "nd" if i % 7 == 3 else f"{1000 + i * 1234.5:,.2f}".replace(",", "\u00a0").replace(".", ",")
        out.append([code, NAMES[i % len(NAMES)], commune, date.strftime("%d/%m/%Y"), amount,
                    "OUI" if i % 3 else "NON"])
    return out


def write_french_csv(path: Path, count: int = 30, title: bool = True) -> Path:
    lines = ["Paiements aux bénéficiaires — exercice 2018-2021 (données fictives)"] if title else []
    lines += [";".join(HEADER)] + [";".join(row) for row in rows(count)]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return Path(path)


def amount(text: str) -> Decimal | None:
    return None if text == "nd" else Decimal(text.replace("\u00a0", "").replace(",", "."))


def mean_amount(count: int = 30) -> Decimal:
    values = [amount(row[4]) for row in rows(count) if amount(row[4]) is not None]
    return sum(values) / len(values)


def names_by_date(count: int = 30) -> list[str]:
    """Beneficiaries in date order (dd/mm/yyyy read day first), ties in file order."""
    ordered = sorted(rows(count), key=lambda row: datetime.datetime.strptime(row[3], "%d/%m/%Y"))
    return [row[1] for row in ordered]


REGIONS = {"Dakar-Plateau": "Dakar", "Médina": "Dakar", "Saint-Louis": "Saint-Louis", "SAINT LOUIS": "Saint-Louis",
           "Thiès": "Thiès", "Mbour": "Thiès"}


def write_regions_csv(path: Path) -> Path:
    """The communes' regions, exported the same way (title line, cp1252, `;`), to join on the code."""
    lines = ["Régions des communes", "Code commune;Région"]
    lines += sorted({f"{code};{REGIONS[commune]}" for code, commune in COMMUNES})
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return Path(path)
