"""The Streamlit layer: everything in dashboard/ that imports Streamlit lives in this package."""
