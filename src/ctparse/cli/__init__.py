"""The ``ctparse`` command: a thin shell over the library."""
