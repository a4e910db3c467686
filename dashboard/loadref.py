"""The load test's reference page: Streamlit's own floor, served beside the app in the same run.

Six ``st.metric`` and one 12-point plotly line, nothing cached and no data read: what any
Streamlit page costs to open and rerun on this machine. ``python -m dashboard loadtest`` serves it
from a second server and prints the app's times as ratios of its times. Not a page of the app.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Trang tham chiếu", layout="wide")
st.title("Trang tham chiếu")

months = [f"{m:02d}/2025" for m in range(1, 13)]
values = [1200 + 37 * m - (m % 4) * 25 for m in range(12)]
for column, (label, value, delta) in zip(
    st.columns(6),
    [
        ("Người nghiện có hồ sơ", "1.456", "-3,2%"),
        ("Người sử dụng trái phép", "2.310", "+1,1%"),
        ("Điều trị methadone", "874", "+4,0%"),
        ("Cai nghiện bắt buộc", "68,75%", "-5,0%"),
        ("Cai nghiện tự nguyện", "106,67%", "+2,5%"),
        ("Xã trọng điểm", "12", "-2"),
    ],
    strict=True,
):
    column.metric(label, value, delta)

figure = go.Figure(go.Scatter(x=months, y=values, mode="lines+markers", name="Người nghiện"))
figure.update_layout(title="Người nghiện có hồ sơ theo tháng", height=380)
st.plotly_chart(figure)
