"""Writes dp generator options that declare every census column's domain (bounds.<col>=lo:hi
for numeric columns, categories.<col>=a|b|... for categorical ones), one per line, for the
"declared domains" benchmark rows in BENCHMARKS.md (bench/dp-curve).

These stand in for a public data dictionary (UCI's adult.names lists the category values).
Here they are read from the training file itself, which is fine for a benchmark of the
generator but is NOT a differentially private choice: in real use, declare only domains that
are public. Usage: python3 census_declared_domains.py train.csv.gz metadata.json > declared.txt
"""
import json
import sys

import pandas as pd

train, meta = sys.argv[1], sys.argv[2]
# as text: categories are listed as they are written in the file (also integer codes)
r = pd.read_csv(train, keep_default_na=False, dtype=str)
cols = json.load(open(meta))["columns"]
for c, v in cols.items():
    if v["sdtype"] == "numerical":
        x = pd.to_numeric(r[c])
        print(f"bounds.{c}={x.min()}:{x.max()}")
    elif all(v.lstrip("-").isdigit() for v in r[c]):
        # integer codes (creditcard_default's sex, education, ...): ersatz types the column as
        # integer, which takes bounds, not categories; 0/1 is boolean, a domain by its type
        if set(r[c]) <= {"0", "1"}:
            continue
        x = pd.to_numeric(r[c])
        print(f"bounds.{c}={x.min()}:{x.max()}")
    else:
        print(f"categories.{c}=" + "|".join(sorted(set(r[c]))))
