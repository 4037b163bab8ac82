"""Entry point: navigation and the shared filters. The pages themselves live in pages/."""

import streamlit as st

st.set_page_config(page_title="Frontline and diplomacy", layout="wide")
st.title("Frontline and diplomacy")
st.write("The dashboard is being built; see the README.")
