"""Workbooks written at test time as Excel would save them (xlsxwriter: typed cells, merges)."""

import xlsxwriter


def write_xlsx(path, rows, merges=(), sheet="Sheet 1"):
    """rows: lists of cells from A1 down (numbers as numbers, "" for an empty cell); merges:
    (first_row, first_col, last_row, last_col, text) 0-based. Returns `path`."""
    book = xlsxwriter.Workbook(str(path))
    worksheet = book.add_worksheet(sheet)
    for number, row in enumerate(rows):
        for column, cell in enumerate(row):
            if cell != "":
                worksheet.write(number, column, cell)
    for top, left, bottom, right, text in merges:
        worksheet.merge_range(top, left, bottom, right, text)
    book.close()
    return path
