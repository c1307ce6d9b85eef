#!/usr/bin/env bash
# `npm start` on embedded defaults: API, worker and Temporal come up, the printed key answers,
# /docs and the Temporal UI serve, and Ctrl-C (SIGINT) stops every process it started.
set -uo pipefail
cd "$(dirname "$0")/.."
log=.tally/smoke-start.log
mkdir -p .tally
setsid npm start >"$log" 2>&1 &
group=$!
fail() {
  echo "smoke: $1"
  tail -n 60 "$log"
  kill -KILL -- "-$group" 2>/dev/null
  exit 1
}

for _ in $(seq 1 180); do
  curl -fs http://127.0.0.1:3000/readyz >/dev/null 2>&1 && break
  kill -0 "$group" 2>/dev/null || fail "npm start exited before the API was ready"
  sleep 1
done
curl -fs http://127.0.0.1:3000/readyz >/dev/null || fail "the API never became ready"

key=$(grep -oE 'sk_test_[A-Za-z0-9]+' "$log" | head -n1)
[ -n "$key" ] || fail "no API key was printed"
body=$(curl -fs -H "Authorization: Bearer $key" http://127.0.0.1:3000/v1/customers) || fail "the printed key was refused"
[[ "$body" == *'"object":"list"'* ]] || fail "unexpected /v1/customers answer: $body"
curl -fs -o /dev/null http://127.0.0.1:3000/docs || fail "/docs does not serve"
curl -fs http://127.0.0.1:3000/dashboard/ | grep -q '<div id="app"' || fail "/dashboard does not serve the app"
curl -fs -o /dev/null http://127.0.0.1:8233 || fail "the Temporal UI does not serve on 8233"

kill -INT -- "-$group"
for _ in $(seq 1 40); do
  pgrep -g "$group" >/dev/null || break
  sleep 0.5
done
pgrep -g "$group" >/dev/null && fail "processes were still running 20 s after Ctrl-C"
echo "smoke: npm start served the API, the key, /docs and the Temporal UI, and stopped cleanly on Ctrl-C"
