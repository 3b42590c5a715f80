"""Output formats, one module a format: JSON, JSON Schema, ClinicalTrials.gov API v2."""
