"""The eligibility language: criteria text to trees of ``Criterion`` and back."""
