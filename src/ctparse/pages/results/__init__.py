"""The results page kind (``Trial Outcomes & Findings for ...``)."""
