"""Bulk intake: the JSON Lines import format, its validation in two passes, and the synthetic demo data.

Only the command line (`server/cli.py`) imports this package; the API never does.
"""
