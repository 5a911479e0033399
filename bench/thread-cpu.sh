#!/usr/bin/env bash
# CPU of an idle `eyes run` per thread: which threads spend the idle budget.
#
#   bench/thread-cpu.sh            WARMUP (default 240) s to settle, then WINDOW (default 120) s measured
#
# Runs this checkout's bin/eyes with the default configuration (own database, dashboard on PORT, default 18850),
# reads utime+stime of every thread (/proc/<pid>/task/*/stat) before and after the window, and prints the ticks
# (1/100 s) per thread name (threads that started during the window count whole), the process total and its
# share of one core, and the journalctl child's ticks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARMUP=${WARMUP:-240}
WINDOW=${WINDOW:-120}
PORT=${PORT:-18850}
"$root/bin/eyes" version >/dev/null
dir=$(mktemp -d /tmp/eyes-threads.XXXX)
cd "$dir"
EYES_LOG=warn setsid "$root/bin/eyes" run --database eyes.db --bind "127.0.0.1:$PORT" >out.log 2>err.log &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' EXIT
ticks() { sed 's/.*) //' "$1" | awk '{print $12 + $13}'; }
snap() { for t in /proc/"$pid"/task/*; do echo "$(basename "$t") $(ticks "$t/stat") $(tr ' ' '_' < "$t/comm")"; done | sort; }
kids() { local s=0 p; for p in $(pgrep -P "$pid"); do s=$((s + $(ticks "/proc/$p/stat"))); done; echo "$s"; }
sleep "$WARMUP"
p0=$(ticks "/proc/$pid/stat"); k0=$(kids); snap > before.txt
sleep "$WINDOW"
p1=$(ticks "/proc/$pid/stat"); k1=$(kids); snap > after.txt
join -a2 -e0 -o 1.2,2.2,2.3 before.txt after.txt | awk '{d = $2 - $1; if (d > 0) s[$3] += d} END {for (n in s) print s[n], n}' \
  | sort -rn
awk -v a="$p0" -v b="$p1" -v w="$WINDOW" 'BEGIN {printf "process: %d ticks in %d s = %.3f %% of one core\n", b - a, w, (b - a) / w}'
echo "journalctl: $((k1 - k0)) ticks"
