"""docgen: publish a municipal plan kept as structured YAML as a printed booklet and a Word file."""

__version__ = "0.1.0"
