"""Test support shared by the test modules: paths, golden fixtures, oracles, strategies."""
