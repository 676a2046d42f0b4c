#!/usr/bin/env bash
# Quality cost of the watermark: score the holdout split as if it were synthetic, with and
# without the watermark, for a few keys, with the shared score.py. Run from the repository root
# after: ./mvnw -B -q -o -pl ersatz-provenance -am test-compile \
#          dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
set -euo pipefail
DATA=${DATA:-../shared/data}
TOOLS=${TOOLS:-../shared/tools}
PY=${PY:-/usr/bin/python3}
OUT=${OUT:-/tmp/ersatz-wm-quality}
CP="ersatz-provenance/target/test-classes:ersatz-provenance/target/classes:ersatz-core/target/classes:$(cat ersatz-provenance/target/test-classpath.txt)"
KEYS=${KEYS:-0 1 2}
for ds in census creditcard_default; do
  for key in $KEYS; do
    dir=$OUT/$ds/key$key
    java -cp "$CP" dev.ersatz.provenance.WatermarkQuality "$DATA/splits/${ds}_holdout.csv.gz" "$dir" "$key"
    for f in plain watermarked; do
      if [ "$f" = plain ] && [ "$key" != "${KEYS%% *}" ] && [ -f "$OUT/$ds/plain.json" ]; then continue; fi
      "$PY" "$TOOLS/score.py" --real "$DATA/splits/${ds}_train.csv.gz" --synthetic "$dir/$f.csv" \
        --holdout "$DATA/splits/${ds}_holdout.csv.gz" --metadata "$DATA/splits/${ds}_metadata.json" \
        --json "$dir/$f.json" > "$dir/$f.txt"
      if [ "$f" = plain ]; then cp "$dir/plain.json" "$OUT/$ds/plain.json"; fi
    done
    "$PY" - "$OUT/$ds/plain.json" "$dir/watermarked.json" "$ds" "$key" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
print("| %s | %s | %.6f | %.6f | %+.6f | %+.6f | %+.6f |" % (sys.argv[3], sys.argv[4],
      a["quality_overall"], b["quality_overall"], b["quality_overall"] - a["quality_overall"],
      b["column_shapes"] - a["column_shapes"], b["column_pair_trends"] - a["column_pair_trends"]))
PYEOF
  done
done
