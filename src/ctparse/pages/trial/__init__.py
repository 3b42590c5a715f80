"""The trial page: its vocabulary, grammar transformer, assembly into a ``Trial``, renderer."""
