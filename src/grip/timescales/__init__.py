"""Statutory and local timescales: the rules as data (reference/timescales/rules.toml) and the
engine that turns them and the records into obligations (grip.timescales.engine)."""
