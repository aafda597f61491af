# One command to try it, one to test it; both set up their own virtual environment.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test browser i18n bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

# Chromium for the browser tests (Debian package; Playwright drives it, never downloads one).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The main job on the bundled sample data: import every dataset (with its report), then inspect
# the deliberately messy municipal budget.
demo: $(STAMP)
	mkdir -p demo
	cd demo && ../$(VENV)/bin/datactiviste import ../datactiviste/sample_data/*/*.csv --db demo.db
	cd demo && ../$(VENV)/bin/datactiviste inspect ../datactiviste/sample_data/budget_communes/budget_communes_2024.csv

test: $(STAMP) browser
	$(PY) -m pytest

i18n: $(STAMP)
	$(PY) scripts/update_catalogs.py

bench: $(STAMP)
	$(PY) benchmarks/import_speed.py

clean:
	rm -rf $(VENV) demo build dist *.egg-info
