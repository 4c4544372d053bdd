"""Pane composers: typed inputs in, the pane's model out, the same for live and replay."""
