"""Caseloads (/caseloads/): how many children each worker holds, weighted by stage, against the
thresholds of reference/caseloads/caseloads.toml; a team's capacity and the DfE workforce census
caseload; and the pages that show them. Builds on grip.allocation (who holds which case), which
never imports it back. No models of its own."""
