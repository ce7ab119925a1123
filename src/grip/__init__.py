"""Grip: children's social care front door, caseload and performance."""
