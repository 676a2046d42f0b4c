#!/usr/bin/env bash
# Quality cost of the watermark on real generator output. For each dataset: fit the default
# generator on the train split, sample as many rows as the split has without and with
# --watermark (one key per run, same seed), and score every output with the shared score.py
# against the train split (holdout for utility and privacy). Prints one Markdown row per key.
# Run from the repository root after building the CLI:
#   ./mvnw -B -q -pl ersatz-cli -am package -DskipTests
set -euo pipefail
DATA=${DATA:-../shared/data}
TOOLS=${TOOLS:-../shared/tools}
PY=${PY:-/usr/bin/python3}
OUT=${OUT:-/tmp/ersatz-wm-quality}
KEYS=${KEYS:-1 2 3}
DATASETS=${DATASETS:-census creditcard_default}
JAR=${JAR:-ersatz-cli/target/ersatz.jar}
ersatz() { java -jar "$JAR" "$@"; }
score() { # score <dataset> <csv> -> <csv>.json
  "$PY" "$TOOLS/score.py" --real "$DATA/splits/$1_train.csv.gz" --synthetic "$2" \
    --holdout "$DATA/splits/$1_holdout.csv.gz" --metadata "$DATA/splits/$1_metadata.json" \
    --json "${2%.csv}.json" > "${2%.csv}.txt"
}
echo "| dataset | key | quality without | quality with | change | column shapes change | pair trends change | TSTR AUC without, with | cells changed | sampling s without, with |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for ds in $DATASETS; do
  d="$OUT/$ds"
  mkdir -p "$d"
  train="$DATA/splits/${ds}_train.csv.gz"
  rows=$("$PY" -c "import pandas, sys; print(len(pandas.read_csv(sys.argv[1])))" "$train")
  [ -f "$d/model.ersatz" ] || ersatz fit "$train" -o "$d/model.ersatz" -q --no-catalog > /dev/null 2>&1
  s0=$(ersatz sample "$d/model.ersatz" -n "$rows" -o "$d/plain.csv" -q --no-sign --threads 1 \
    | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
  score "$ds" "$d/plain.csv"
  for k in $KEYS; do
    [ -f "$d/keys$k/watermark.key" ] || ersatz keys init --watermark --key-dir "$d/keys$k" > /dev/null
    s1=$(ersatz sample "$d/model.ersatz" -n "$rows" -o "$d/wm$k.csv" -q --no-sign --threads 1 \
      --watermark --watermark-key "$d/keys$k/watermark.key" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
    score "$ds" "$d/wm$k.csv"
    "$PY" - "$d/plain" "$d/wm$k" "$ds" "$k" "$s0" "$s1" <<'PYEOF'
import json, sys
import pandas as pd
a = json.load(open(sys.argv[1] + ".json")); b = json.load(open(sys.argv[2] + ".json"))
x = pd.read_csv(sys.argv[1] + ".csv", dtype=str, keep_default_na=False)
y = pd.read_csv(sys.argv[2] + ".csv", dtype=str, keep_default_na=False)
changed = (x.values != y.values).mean()
print("| %s | %s | %.6f | %.6f | %+.6f | %+.6f | %+.6f | %.4f, %.4f | %.1f%% | %s, %s |" % (
    sys.argv[3], sys.argv[4], a["quality_overall"], b["quality_overall"],
    b["quality_overall"] - a["quality_overall"], b["column_shapes"] - a["column_shapes"],
    b["column_pair_trends"] - a["column_pair_trends"], a["tstr_hgb_auc"], b["tstr_hgb_auc"],
    100 * changed, sys.argv[5], sys.argv[6]))
PYEOF
  done
done
