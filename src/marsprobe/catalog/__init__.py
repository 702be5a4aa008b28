"""The mission library: data files, the source registry, claims, conflicts and checks."""

from marsprobe.catalog.loader import all_missions, load, load_file, slugs, sources

__all__ = ["all_missions", "load", "load_file", "slugs", "sources"]
