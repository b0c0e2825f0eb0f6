#!/bin/sh
# 20 writers saving 20 different cases at once for 10 s: Keten (20 DatabaseSaveLoop processes,
# each saving its case over and over) against pgbench running the same statements (the save's
# UPDATE with the same document, summary and columns, and its journal INSERT, in one
# transaction) with 20 clients. Both on the 10,000-case database the DatabaseBenchmarks made,
# synchronous commit on. Prints saves per second for each and their ratio.
# Usage: Benchmarks/pg-throughput.sh [CONNINFO-OF-THE-CLUSTER]   (run `swift build -c release` here first)
set -eu
cd "$(dirname "$0")"
cluster=${1:-"host=${TMPDIR:-/tmp}/keten-bench-pg port=5432"}
db="$cluster dbname=kbench_10000_demo_3 user=bench"
owner="$cluster dbname=kbench_10000_demo_3 user=keten_owner"
seconds=10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# K-2025-0001 … K-2025-0020: client N of pgbench names its case the same way.
psql -X -At -d "$db" -c "SELECT id FROM keten.cases WHERE trashed_on IS NULL AND id BETWEEN 'K-2025-0001' AND 'K-2025-0020' ORDER BY id" > "$work/ids"
[ "$(wc -l < "$work/ids")" -eq 20 ] || { echo "K-2025-0001 … 0020 are not all there" >&2; exit 1; }

# Keten: 20 processes.
i=0
while read -r id; do
  .build/release/DatabaseSaveLoop "$db" "$id" "$seconds" > "$work/keten-$i" &
  i=$((i + 1))
done < "$work/ids"
wait
keten=$(cat "$work"/keten-* | awk '{s += $1} END {print s}')

# pgbench: the same statements per client, on client N's case, with the bytes Keten sends.
n=0
while read -r id; do
  psql -X -At -d "$owner" -c "SELECT doc::text FROM keten.cases WHERE id = '$id'" > "$work/doc-$n"
  n=$((n + 1))
done < "$work/ids"
python3 - "$work" "$owner" <<'PY'
import json, subprocess, sys
work, owner = sys.argv[1], sys.argv[2]
ids = open(f"{work}/ids").read().split()
def q(s): return "'" + s.replace("'", "''") + "'"
# As one JSON array: a summary line holds separators of its own.
row = json.loads(subprocess.run(["psql", "-X", "-At", "-d", owner, "-c",
  f"SELECT json_build_array(summary, rules_version, centre_key, case_worker, mentor) FROM keten.cases WHERE id = '{ids[0]}'"],
  capture_output=True, text=True, check=True).stdout)
doc = open(f"{work}/doc-0").read().rstrip("\n")
# Client N's case: the same document bytes, with its own id and the next revision (the guard
# wants a row to hold its own document at its revision), and its journal entry about that case
# (the database takes no change without one).
case = "'K-2025-' || lpad((:c + 1)::text, 4, '0')"
with open(f"{work}/save.sql", "w") as f:
  f.write("\\set c :client_id\n")
  f.write("BEGIN;\n")
  f.write(f"UPDATE keten.cases SET doc = {q(doc)}::jsonb || jsonb_build_object('id', id, 'revision', revision + 1), "
          f"revision = revision + 1, summary = {q(row[0])}, "
          f"rules_version = {q(row[1])}, centre_key = {q(row[2])}, case_worker = {q(row[3])}, mentor = {q(row[4])} "
          f"WHERE id = {case} AND trashed_on IS NULL;\n")
  f.write(f"INSERT INTO keten.journal (case_id, record_id, entry) VALUES ({case}, NULL, jsonb_build_object("
          f"'action', 'change', 'at', '2026-11-01T10:00:00Z', 'case', {case}, 'paths', '[\"person.phone\"]'::jsonb, "
          f"'revision', 2, 'user', 'bench'));\n")
  f.write("COMMIT;\n")
PY
pgbench -n -c 20 -j 2 -T "$seconds" -f "$work/save.sql" -d "$db" > "$work/pgbench" 2>&1 || { cat "$work/pgbench"; exit 1; }
floor=$(awk '/^tps = / {print $3}' "$work/pgbench")
awk -v k="$keten" -v s="$seconds" -v f="$floor" 'BEGIN {
  printf "Keten, 20 processes: %.0f saves/s\npgbench, 20 clients, the same statements: %.0f transactions/s\nratio: %.2f\n", k / s, f, (k / s) / f }'
