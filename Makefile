# Everyday commands. `make run` serves the dashboard on demo data; `make test` runs what CI runs.

PYTHON ?= python3
VENV_PY := .venv/bin/python
STAMP := .venv/.installed
SNAPSHOTS := data/snapshots
LINT_PATHS := dashboard pages tests scripts

.PHONY: run replicas data test lint reference

# Reinstall whenever the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(VENV_PY) || $(PYTHON) -m venv .venv
	$(VENV_PY) -m pip install -q -r requirements.lock
	$(VENV_PY) -m pip install -q --no-deps -e .
	touch $@

# Generate the demo snapshot only when no snapshot folder (YYYY-MM-DD…) exists yet,
# so imported snapshots are never overwritten.
data: $(STAMP)
	@if find $(SNAPSHOTS) -mindepth 1 -maxdepth 1 -type d \
		-name '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' 2>/dev/null | grep -q .; then \
		echo "$(SNAPSHOTS): đã có bộ số liệu, không tạo lại số liệu minh họa"; \
	else \
		echo "$(VENV_PY) -m dashboard demo --out $(SNAPSHOTS)"; \
		$(VENV_PY) -m dashboard demo --out $(SNAPSHOTS); \
	fi

run: $(STAMP) data
	$(VENV_PY) -m dashboard serve --server.port 8501 --server.headless true

# K replicas behind HAProxy on port 8501 (README, "Triển khai"): make replicas K=2
K ?= 2
replicas: $(STAMP) data
	$(VENV_PY) -m dashboard replicas --count $(K) --port 8501

test: $(STAMP)
	$(VENV_PY) -m pytest

lint: $(STAMP)
	$(VENV_PY) -m ruff check $(LINT_PATHS)
	$(VENV_PY) -m ruff format --check $(LINT_PATHS)

reference: $(STAMP)
	$(VENV_PY) scripts/build_reference.py
