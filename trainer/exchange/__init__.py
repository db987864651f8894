"""Import and export: spreadsheet CSV to deck TOML, Anki packages, and answer history as CSV.

Pure code: no Qt and no database; callers read and write the files and map database rows.
"""
