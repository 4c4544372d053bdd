"""Reusable, dumb widgets: they render what they are given and post messages up; they never fetch."""
