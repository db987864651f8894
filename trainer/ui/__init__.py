"""The screens and widgets (Qt lives here, in the composition root app.py, and in the benchmark's child)."""
