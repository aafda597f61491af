"""A JSON tree (d3's treemap files: {name, children: [{name, children: [...]}]}) is read as one row
per leaf with the levels above it as columns, so a budget by mission > programme > action can be
summed by mission; a list of records with one nested list each stays a list of records."""

import json
import sqlite3

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import

TREE = {"name": "", "size": 0, "children": [
    {"name": "Budget général", "class": "Type de mission", "children": [
        {"name": "Santé", "class": "Mission", "children": [
            {"name": "Prévention", "class": "Programme", "children": [
                {"name": "Vaccins", "class": "Action", "size": 1200},
                {"name": "Dépistage", "class": "Action", "size": 300}]},
            {"name": "Hôpitaux", "class": "Action", "size": 5000}]}]},
    {"name": "Comptes spéciaux", "class": "Type de mission", "children": [
        {"name": "Pensions", "class": "Mission", "children": [
            {"name": "Retraites", "class": "Action", "size": 900}]}]}]}


def _rows(tmp_path, data):
    path = tmp_path / "budget.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    connection = sqlite3.connect(tmp_path / "t.db")
    connection.row_factory = sqlite3.Row
    return result, [dict(row) for row in connection.execute(f'SELECT * FROM "{result.table}"')]


def test_a_tree_is_one_row_per_leaf_with_its_levels_as_columns(tmp_path):
    result, rows = _rows(tmp_path, TREE)
    assert result.rows_written == 4
    assert [column.name for column in result.columns] == [
        "name_1", "class_1", "name_2", "class_2", "name_3", "class_3", "name", "class", "size"]
    assert rows[0] == {"name_1": "Budget général", "class_1": "Type de mission", "name_2": "Santé",
                       "class_2": "Mission", "name_3": "Prévention", "class_3": "Programme",
                       "name": "Vaccins", "class": "Action", "size": 1200}
    # A leaf one level higher has no third level: NULL there, nothing shifted.
    assert rows[2]["name_3"] is None and rows[2]["name"] == "Hôpitaux" and rows[2]["name_2"] == "Santé"
    assert sum(row["size"] for row in rows) == 7400
    assert "arbre JSON" in render_import(result)


def test_records_holding_one_list_each_stay_records(tmp_path):
    data = [{"region": "Dakar", "communes": [{"nom": "Pikine"}, {"nom": "Rufisque"}]},
            {"region": "Thiès", "communes": [{"nom": "Mbour"}]}]
    result, rows = _rows(tmp_path, data)
    assert result.rows_written == 2 and rows[0]["region"] == "Dakar"


def test_a_tree_too_deep_is_refused_with_a_message(tmp_path):
    node = {"name": "feuille", "size": 1}
    for level in range(300):
        node = {"name": f"niveau {level}", "children": [node, {"name": "x", "size": 2}]}
    path = tmp_path / "profond.json"
    path.write_text(json.dumps(node))
    with pytest.raises(DatactivisteError) as error:
        import_file(path, tmp_path / "t.db")
    assert "imbriqué" in error.value.message
    assert not (tmp_path / "t.db").exists()
