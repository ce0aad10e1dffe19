#!/usr/bin/env bash
# Runs the unit suite as if today were another day, in other time zones, with libfaketime
# (Debian package faketime): a test that reads the machine's date or zone fails here on the days
# that matter to the legal clock (the last day of a year, the first, and 1 December, when next
# year's State Council notice is usually still missing). The clock keeps running from the faked
# instant, so timeouts still work.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)"; exit 1; }
failed=0
for spec in '2026-12-31 23:30:00|Asia/Shanghai' '2027-01-01 00:30:00|America/Los_Angeles' '2026-12-01 09:00:00|Europe/London'; do
  when=${spec%%|*}
  zone=${spec##*|}
  echo "unit suite on ${when} (${zone})"
  TZ=$zone faketime "$when" npx vitest run --project unit "$@" || failed=1
done
exit $failed
