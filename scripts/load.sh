#!/usr/bin/env bash
# Load test of a running Parcours (by default the demo on :8080): logs in as a demo account,
# then hammers a few pages with wrk (Debian package "wrk") for 10 s each, with the session
# cookie. Figures go to docs/PERFORMANCE.md.
#   go run ./cmd/parcours demo &   # in another terminal
#   scripts/load.sh [BASE_URL] [EMAIL] [PASSWORD]
set -euo pipefail
base=${1:-http://localhost:8080}
email=${2:-ars.pdl@demo.parcours.fr}
password=${3:-demo-ars-pdl-2026}
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
token=$(curl -s -c "$jar" -b "$jar" "$base/connexion" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  --data-urlencode "csrf_token=$token" "$base/connexion"
cookie=$(awk '$6 ~ /parcours/ {printf "%s=%s; ", $6, $7}' "$jar")
[ -n "$cookie" ] || { echo "load.sh: login failed" >&2; exit 1; }
for path in /healthz /structures "/structures?region=52&type=cpts" /regions/52; do
  echo "== $path"
  wrk -t2 -c16 -d10s -H "Cookie: $cookie" "$base$path" | grep -E 'Requests/sec|Latency|Non-2xx'
done
