"""The headline check: a title that names the wrong leader, or the wrong trend, is flagged."""

import pytest

from datactiviste.graphics.headline import check_headline, find_claims, fold_text

VOTES = [("Liste Acacia", 41.0), ("Liste Karité", 30.5), ("Liste Baobab", 12.0),
         ("Liste Fromager", 9.5)]
TURNOUT = [("2014", 63.0), ("2017", 58.2), ("2019", 55.1), ("2022", 48.0)]


def test_the_issue_example_names_the_real_ranking_in_french():
    warnings = check_headline("La liste Baobab arrive en tête", VOTES, "fr")
    assert len(warnings) == 1
    assert warnings[0].startswith("Le titre dit que «Liste Baobab» arrive en tête, mais son rang")
    assert "3" in warnings[0] and "4" in warnings[0]        # rank 3 of 4
    assert warnings[0].index("Liste Acacia") < warnings[0].index("Liste Karité")
    assert "41" in warnings[0]


def test_english_message_and_custom_value_format():
    warnings = check_headline("Baobab leads the race", VOTES, "en",
                              format_value=lambda v: f"{v:g}%")
    assert warnings == ["The title says “Liste Baobab” is first, but it ranks 3 of 4: "
                        "1. Liste Acacia (41%), 2. Liste Karité (30.5%), 3. Liste Baobab (12%)."]


@pytest.mark.parametrize("title", [
    "Acacia arrive en tête", "ACACIA DOMINE LE SCRUTIN", "La liste Acacia, première du scrutin",
    "Score record pour Acacia", "Acacia le plus voté", "Acacia leads", "Acacia has the most votes",
    "Acacia: largest share", "Karité recule", "Participation des listes",
])
def test_true_or_unchecked_titles_give_no_warning(title):
    assert check_headline(title, VOTES, "fr") == []


@pytest.mark.parametrize("title", [
    "Karité arrive en tete", "Karité domine", "KARITÉ EN TÊTE", "La liste Karité, première",
    "Karité est le parti le plus voté", "Karité: highest score", "Karité tops the vote",
    "Karité, number one", "Karité obtient un score record",
])
def test_wrong_leader_is_flagged_whatever_the_verb_case_or_accents(title):
    warnings = check_headline(title, VOTES, "fr")
    assert len(warnings) == 1 and "Liste Karité" in warnings[0], title


@pytest.mark.parametrize("title,flagged", [
    ("Fromager obtient le moins de voix", False),
    ("Baobab obtient le moins de voix", True),
    ("Baobab, le score le plus faible", True),      # 'le plus faible' is a bottom claim
    ("Fromager, the lowest score", False),
    ("Acacia: least votes", True),
    ("Baobab arrive dernier", True),
])
def test_bottom_claims_are_checked_against_the_smallest(title, flagged):
    warnings = check_headline(title, VOTES, "en")
    assert bool(warnings) is flagged, (title, warnings)
    if flagged:
        assert "last" in warnings[0] and "1. Liste Fromager" in warnings[0]


@pytest.mark.parametrize("title", [
    "Baobab n'arrive pas en tête", "Karité ne domine plus", "Baobab is not the largest",
    "Karité no longer leads", "Premier tour : participation par liste",
    "Au premier trimestre, Baobab", "Last year, Baobab", "L'an dernier, Karité",
    "Most of the lists below 50 %",
])
def test_negations_and_time_words_are_not_claims(title):
    assert check_headline(title, VOTES, "fr") == []


def test_comparisons_between_two_named_categories():
    assert check_headline("Acacia devance Karité", VOTES, "fr") == []
    warning = check_headline("Baobab devance Karité", VOTES, "fr")
    assert len(warning) == 1 and "12" in warning[0] and "30,5" in warning[0]
    assert check_headline("Baobab gets more votes than Acacia", VOTES, "en")
    assert check_headline("Baobab derrière Acacia", VOTES, "fr") == []
    assert check_headline("Acacia behind Fromager", VOTES, "en")
    assert check_headline("Karité obtient plus de voix que Baobab", VOTES, "fr") == []


@pytest.mark.parametrize("title", ["La participation en hausse", "Turnout is rising",
                                   "La participation augmente", "Participation : forte progression",
                                   "Turnout grows", "Turnout went up"])
def test_rising_title_over_a_falling_series(title):
    warnings = check_headline(title, TURNOUT, "fr", ordered=True)
    assert len(warnings) == 1
    assert "63" in warnings[0] and "48" in warnings[0] and "2014" in warnings[0]


@pytest.mark.parametrize("title", ["La participation en baisse", "Recul de la participation",
                                   "Chute de la participation", "Turnout falls", "Turnout declines"])
def test_falling_title_over_a_falling_series_is_fine(title):
    assert check_headline(title, TURNOUT, "fr", ordered=True) == []
    rising = [(label, 100 - value) for label, value in TURNOUT]
    assert len(check_headline(title, rising, "fr", ordered=True)) == 1


def test_trend_between_the_two_periods_the_title_names():
    # falls overall, but rose between 2019 and 2022 in this series
    series = [("2014", 63.0), ("2017", 50.0), ("2019", 45.0), ("2022", 47.0), ("2024", 40.0)]
    assert check_headline("Hausse entre 2019 et 2022", series, "fr", ordered=True) == []
    assert check_headline("Hausse entre 2014 et 2024", series, "fr", ordered=True)


def test_trends_are_only_read_on_ordered_series_and_flat_series_are_told():
    assert check_headline("Baobab en hausse", VOTES, "fr") == []
    flat = [("2020", 5.0), ("2021", 6.0), ("2022", 5.0)]
    warning = check_headline("Turnout rises", flat, "en", ordered=True)
    assert warning and "stays at 5" in warning[0]


def test_record_over_a_series_means_the_latest_value_unless_a_period_is_named():
    assert check_headline("Participation record", TURNOUT, "fr", ordered=True)
    assert check_headline("Participation record en 2014", TURNOUT, "fr", ordered=True) == []


def test_language_is_restored_and_bad_input_is_harmless():
    from datactiviste.i18n import get_language, set_language

    set_language("fr")
    assert check_headline("Baobab leads", VOTES, "en")[0].startswith("The title")
    assert get_language() == "fr"
    assert check_headline("", VOTES) == []
    assert check_headline("Baobab leads", []) == []
    assert check_headline("Baobab leads", [("Baobab", None), ("Acacia", float("nan"))]) == []


def test_folding_and_claim_kinds():
    assert fold_text("La liste « Baobab » arrive EN-TÊTE !") == "la liste baobab arrive en tete"
    kinds = [c.kind for c in find_claims(fold_text("Le plus faible score, en hausse"))]
    assert kinds == ["bottom", "rise"]


def test_longer_labels_win_and_shared_words_name_nothing():
    places = [("Saint-Louis", 10.0), ("Louis", 50.0), ("Dakar", 30.0)]
    assert check_headline("Saint-Louis en tête", places, "fr")
    assert check_headline("Louis en tête", places, "fr") == []
    assert check_headline("La liste en tête", VOTES, "fr") == []


def test_plural_names_a_category():
    kinds = [("publique", 8.0), ("privée", 4.0)]
    assert check_headline("Les écoles privées dominent", kinds, "fr")
    assert check_headline("Les écoles publiques dominent", kinds, "fr") == []
