"""One rule for numbers in every message: shortest exact decimal, cents kept, French commas."""

import pytest

from datactiviste.i18n.formats import (NBSP, column_decimals, format_duration, format_exact,
                                       format_size, shortest_decimal)


@pytest.mark.parametrize("value, text", [
    (49.400000000000006, "49.4"), (0.30000000000000004, "0.3"), (2.675, "2.675"),
    (1 / 3, "0.333333333333333"), (1e-7, "0.0000001"), (-0.0, "0"), (250.0, "250"),
    (1e16, "10000000000000000"), (123.456, "123.456")])
def test_shortest_decimal_has_no_binary_noise(value, text):
    assert shortest_decimal(value) == text


@pytest.mark.parametrize("values, decimals", [
    ([244000.5, 1250.75, 80.0], 2), ([1.5, 2.25, 3.125], None), ([1.5, 2.5], None),
    ([10, 20], None), ([0.1 + 0.2, 1.25], 2), (["12,50", None, 1.25], 2), ([], None)])
def test_a_column_with_cents_gets_two_fixed_decimals(values, decimals):
    assert column_decimals(values) == decimals


def test_fixed_decimals_pad_but_never_cut():
    assert format_exact(244000.5, "fr", decimals=2) == f"244{NBSP}000,50"
    assert format_exact(3.125, "en", decimals=2) == "3.125"
    assert format_exact(7, "en", decimals=2) == "7"          # an integer is not an amount


@pytest.mark.parametrize("size, french, english", [
    (37069, "36,2 Ko", "36.2 KB"), (512, "512 o", "512 B"), (1024, "1 Ko", "1 KB"),
    (150 * 1024, "150 Ko", "150 KB"), (int(1.4 * 1024 ** 2), "1,4 Mo", "1.4 MB"),
    (0, "0 o", "0 B")])
def test_sizes_in_both_languages(size, french, english):
    assert format_size(size, "fr") == french.replace(" ", NBSP)
    assert format_size(size, "en") == english.replace(" ", NBSP)


@pytest.mark.parametrize("seconds, french, english", [
    (1.5, "1,5 s", "1.5 s"), (0.04, "0 s", "0 s"), (12.4, "12 s", "12 s"),
    (125, "2 min 05 s", "2 min 05 s"), (3725, "1 h 02 min", "1 h 02 min")])
def test_durations_in_both_languages(seconds, french, english):
    assert format_duration(seconds, "fr") == french.replace(" ", NBSP)
    assert format_duration(seconds, "en") == english.replace(" ", NBSP)
