#!/bin/sh
# A real recording of loopback traffic, reported as JSON and CSV.
# Ground truth: docs/report.schema.json (the documented format) for the JSON,
# the 16-column header of the CSV format for every CSV line.
. "$NLROOT/tests/lib/common.sh"
need_root

DATA="$NLTMP/r.data"
SCHEMA="$NLROOT/docs/report.schema.json"
PORT=$((20000 + $$ % 20000))

# Loopback traffic while recording: netlat-load if built, else ping.
make_traffic() {
	if [ -x "$NLBIN/netlat-load" ]; then
		"$NLBIN/netlat-load" udp-flood -d 800ms --rate 2000 -p "$PORT" >/dev/null 2>&1
	elif command -v ping >/dev/null 2>&1; then
		ping -c 20 -i 0.05 127.0.0.1 >/dev/null 2>&1
	else
		busybox ping -c 20 127.0.0.1 >/dev/null 2>&1
	fi
}

"$NETLAT" record -q -d 2s -o "$DATA" >"$NLTMP/record.out" 2>&1 &
rec_pid=$!
sleep 1	# whole seconds: busybox sleep in the VM tier
make_traffic
wait "$rec_pid"
rc=$?
[ "$rc" = 0 ] || { cat "$NLTMP/record.out"; fail "netlat record exited $rc"; }
[ -s "$DATA" ] || fail "netlat record wrote no $DATA"

# CSV: the header, then 16 fields on every line, and at least one measured row.
"$NETLAT" report -i "$DATA" --format csv --intervals >"$NLTMP/r.csv" ||
	fail "report --format csv exited $?"
head -n 1 "$NLTMP/r.csv" | grep -qx 'run,interval,metric,key,stat,unit,kind,value,count,min,max,mean,p50,p90,p99,p999' ||
	fail "CSV header is '$(head -n 1 "$NLTMP/r.csv")'"
bad=$(awk -F, 'NF != 16 { n++; if (n == 1) print NR ": " $0 } END { if (n) print n " bad lines" }' "$NLTMP/r.csv")
[ -z "$bad" ] || fail "CSV lines without 16 columns: $bad"
awk -F, 'NR > 1 && $2 == "total" && $3 != "session" && ($7 == "counter" || $7 == "hist") && $8 > 0 { ok = 1 }
	 END { exit !ok }' "$NLTMP/r.csv" || fail "no metric counted anything during loopback traffic"
awk -F, 'NR > 1 && $2 != "total" && $2 !~ /^[0-9]+$/ { exit 1 }' "$NLTMP/r.csv" ||
	fail "CSV interval column holds something other than total or an index"
note "CSV: $(($(wc -l <"$NLTMP/r.csv") - 1)) rows, all with 16 columns"

# JSON against the schema.
"$NETLAT" report -i "$DATA" --format json --intervals >"$NLTMP/r.json" ||
	fail "report --format json exited $?"
command -v python3 >/dev/null 2>&1 || skip "CSV checked; no python3 to validate the JSON schema"
python3 -c 'import jsonschema' 2>/dev/null ||
	skip "CSV checked; python3-jsonschema not installed (apt-get install python3-jsonschema)"
python3 - "$SCHEMA" "$NLTMP/r.json" <<'EOF' || fail "JSON report does not match docs/report.schema.json"
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
doc = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=str)
for e in errors[:5]:
    print("  %s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
ok = [m for m, v in doc["metrics"].items() if v["status"] == "ok"]
print("  JSON: %d metrics ok (%s), %d intervals" % (len(ok), ",".join(ok), len(doc.get("intervals", []))))
if not doc.get("intervals"):
    print("  no intervals despite --intervals")
    sys.exit(1)
sys.exit(1 if errors else 0)
EOF
exit 0
