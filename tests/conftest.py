"""Settings for the whole suite."""

from hypothesis import settings

# The suite times nothing: a property holds or fails whatever the machine's load, so no
# example may fail for taking long (Hypothesis's default deadline is 200 ms an example).
settings.register_profile("ctparse", deadline=None)
settings.load_profile("ctparse")
