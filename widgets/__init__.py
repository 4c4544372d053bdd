"""Reusable, dumb widgets: they render what they are given and post messages up.

They never fetch.
"""
