#!/usr/bin/env bash
# Resident set of `eyes run` after a first trigger, beside the idle figure of bench/footprint.sh.
#
#   bench/footprint-trigger.sh [CHECKOUT ...]      (default: this checkout)
#
# Each checkout's bin/eyes runs side by side with the default configuration plus one tailed syslog file (own
# database, dashboard on a port of its own). After 25 s, 8 error lines are appended to each file at once (the
# error-frequency rule fires), then 40 s pass (the analysis is tried against the default Ollama, absent here:
# four attempts) and the JVM's VmRSS is sampled every second for 20 s. Prints the mean and the loaded classes.
# Comparing two builds: give both checkouts (each builds on first use).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
eyes_find_jdk || exit 1
[ "$#" -gt 0 ] || set -- "$root"
dirs=() pids=() port=18840
for checkout in "$@"; do
  "$checkout/bin/eyes" version >/dev/null
  d=$(mktemp -d /tmp/eyes-trigger.XXXX)
  : > "$d/app.log"
  printf '[[logging.files]]\npath = "%s/app.log"\nformat = "syslog"\n' "$d" > "$d/eyes.toml"
  port=$((port + 1))
  (cd "$d" && EYES_LOG=warn exec setsid "$checkout/bin/eyes" run --config "$d/eyes.toml" --database eyes.db \
    --bind "127.0.0.1:$port" >"$d/out.log" 2>"$d/err.log") &
  dirs+=("$d"); pids+=("$!")
done
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
sleep 25
for i in 1 2 3 4 5 6 7 8; do
  for d in "${dirs[@]}"; do
    echo "$(date '+%b %e %H:%M:%S') $(hostname) app[42]: error: connection to the database failed, attempt $i" >> "$d/app.log"
  done
  sleep 0.2
done
sleep 40
for i in "${!pids[@]}"; do
  p=${pids[$i]} sum=0
  for _ in $(seq 1 20); do sum=$((sum + $(awk '/^VmRSS:/{print $2}' "/proc/$p/status"))); sleep 1; done
  classes=$("$JAVA_HOME/bin/jcmd" "$p" VM.classloader_stats 2>/dev/null | awk '/^Total/{print $4}')
  tried=$(grep -c "analysis of candidate" "${dirs[$i]}/err.log" || true)
  printf '%s: mean RSS %s MB over 20 s, %s classes loaded, %s analysis attempts logged\n' "${*:$((i + 1)):1}" \
    "$(awk -v s="$sum" 'BEGIN {printf "%.1f", s / 20 / 1024}')" "${classes:-?}" "$tried"
done
