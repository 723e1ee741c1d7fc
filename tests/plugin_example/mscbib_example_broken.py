"""A plug-in module that cannot be imported (synthetic, for tests/test_plugins.py)."""

raise ImportError("mscbib_example_broken needs a package that is not installed")
