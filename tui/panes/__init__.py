"""Pane composers shared by live and replay: readings in, the `Snapshot` panes out.

Live and replay differ only in where readings come from; every shown quantity is composed here,
from the definitions in `tui.measures`, after the readings passed `tui.gate`.
"""
