"""The load test's reference page: Streamlit's own floor, served beside the app in the same run.

Six ``st.metric`` and one 12-point plotly line, nothing cached and no data read: what any
Streamlit page costs to open and rerun on this machine. ``python -m dashboard loadtest`` serves it
from a second server and prints the app's times as ratios of its times. Not a page of the app.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Trang tham chiếu", layout="wide")
# Made-up figures, labelled as such: the page measures Streamlit, it reports nothing.
st.title("Trang tham chiếu (số giả, chỉ để đo tải)")

months = [f"{m:02d}/2025" for m in range(1, 13)]
values = [1200 + 37 * m - (m % 4) * 25 for m in range(12)]
for i, column in enumerate(st.columns(6), start=1):
    column.metric(f"Chỉ số mẫu {i}", f"{1000 + 111 * i:,}".replace(",", "."), f"{(-1) ** i * i},0%")

figure = go.Figure(go.Scatter(x=months, y=values, mode="lines+markers", name="Chuỗi mẫu"))
figure.update_layout(title="Chuỗi mẫu 12 tháng", height=380)
st.plotly_chart(figure)
