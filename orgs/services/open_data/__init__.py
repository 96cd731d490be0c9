"""The directory as open data: a Frictionless data package and the same in HSDS 3.0 tables."""
