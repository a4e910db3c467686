"""What the tests share, in one place: builders, runners and helpers, never a test.

No test module imports another test module (``tests/unit/test_layout.py`` checks); what two of them
need lives here and is imported one way, ``from tests.support.<module> import …``:

- ``data``: data built in code: the small crafted trees (one province, the reform's merge and
  split), fact/status/target frames, filled import templates, the import tests' base snapshot,
  the seed report's figures (``tests/data/seed_facts.csv``) and a partly reported district.
- ``apptest``: running the entry script through Streamlit's AppTest and reading what it drew.
- ``server``: ``python -m dashboard serve`` on a free localhost port (app and browser tiers).
- ``browser``: Playwright with Debian's Chromium: where it is, waiting for a run, checking a page.
- ``colour_vision``: colour difference and colour-vision simulation (theme and readability tests).
- ``postgres``: a throwaway PostgreSQL server for the store tests.

Fixtures stay in ``conftest.py`` files: ``tests/conftest.py`` (geography, demo data, tier
markers), ``tests/unit/conftest.py`` (the import tests' base snapshot), ``tests/app/conftest.py``
(the app on the demo data) and ``tests/browser/conftest.py`` (browser, page, ``serve``, server).
"""

# The test tiers, one folder each under tests/; each test is marked with its folder's name.
TIERS = ("unit", "app", "browser")
