# One command to try it, one to test it; both set up their own virtual environment.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test browser i18n bench clean dist dist-test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dist]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

# Chromium for the browser tests (Debian package; Playwright drives it, never downloads one).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The main job on the bundled sample data: import every dataset (with its report), inspect the
# deliberately messy municipal budget, then explore it all in the browser (Ctrl-C to stop).
demo: $(STAMP)
	mkdir -p demo
	cd demo && ../$(VENV)/bin/datactiviste import ../datactiviste/sample_data/*/*.csv --db demo.db
	cd demo && ../$(VENV)/bin/datactiviste inspect ../datactiviste/sample_data/budget_communes/budget_communes_2024.csv
	cd demo && ../$(VENV)/bin/datactiviste demo --db demo.db

# The suite includes the smoke tests of the frozen program: build it first (~2 min on 2 cores).
test: $(STAMP) browser dist
	DATACTIVISTE_REQUIRE_BINARY=1 $(PY) -m pytest

# The desktop program (PyInstaller): dist/datactiviste (one file) and dist/datactiviste-folder/.
dist: $(STAMP)
	nice $(PY) packaging/build.py

# Build, then run the smoke tests on the frozen programs (a missing program fails, never skips).
dist-test: dist
	DATACTIVISTE_REQUIRE_BINARY=1 $(PY) -m pytest -m dist tests/test_dist_smoke.py

i18n: $(STAMP)
	$(PY) scripts/update_catalogs.py

bench: $(STAMP)
	$(PY) benchmarks/import_speed.py

clean:
	rm -rf $(VENV) demo build dist *.egg-info
