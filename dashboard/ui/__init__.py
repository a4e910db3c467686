"""The Streamlit layer: the entry script, cached loaders, sidebar filters, widgets and page helpers.

The rest of dashboard/ is plain Python; tests/test_ui_layer.py names the two tools outside this
package that import Streamlit (bench, stclient) and why.
"""
