#!/usr/bin/env bash
# `npm run test:clock`: the unit specs again with the process clock moved to awkward instants by
# Debian's faketime, to prove that none of them depends on today's date. Each run starts at its
# instant and the clock keeps ticking, so the runs that start seconds before midnight cross it.
# The integration tests are not run this way: faketime moves Node's clock, not the Temporal
# server's (a Go binary) nor PostgreSQL's; they compute every date from the real clock instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test:clock: installing faketime (apt-get install faketime)…"
    apt-get update -qq && apt-get install -y -qq faketime >/dev/null
  else
    echo "test:clock: needs Debian's faketime: apt-get install faketime" >&2
    exit 1
  fi
fi

# Instants in UTC, each with why it is awkward. The offset from now is computed here, so the
# instant does not depend on the local time zone (faketime would read a date in it).
instants=(
  '2027-03-01 00:00:00|the first minute of a month, just after a February'
  '2026-12-31 23:59:45|the last minute of a year (the run crosses New Year)'
  '2028-02-29 00:00:00|a leap day'
  '2028-02-29 23:59:50|the end of a leap day (the run crosses into March)'
)
# A time zone far from UTC, on top: code that reads local time instead of UTC shows here.
zones=(UTC UTC UTC Pacific/Kiritimati)

failed=0
for i in "${!instants[@]}"; do
  instant=${instants[$i]%%|*}
  why=${instants[$i]#*|}
  offset=$(($(date -u -d "$instant" +%s) - $(date +%s)))
  sign=$([ "$offset" -ge 0 ] && echo + || echo -)
  echo "::: unit specs at $instant UTC ($why), TZ=${zones[$i]}"
  log=$(mktemp)
  status=0
  TZ=${zones[$i]} FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "${sign}${offset#-}s" \
    node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js \
    --selectProjects unit --silent >"$log" 2>&1 || status=$?
  grep -E '^(Tests:|Test Suites:)|✕' "$log" || true
  if [ "$status" -ne 0 ]; then
    failed=1
    if grep -q 'Summary of all failing tests' "$log"; then
      sed -n '/Summary of all failing tests/,$p' "$log"
    else
      tail -n 60 "$log"
    fi
  fi
  rm -f "$log"
done
exit "$failed"
