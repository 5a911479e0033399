#!/usr/bin/env bash
# Idle footprint of Eyes next to prometheus-node-exporter and netdata, measured the same way in one session.
#
#   bench/footprint.sh [eyes|node-exporter|netdata|all]     (default: all)
#
# For each program: start it, let it settle for WARMUP seconds (default 30: start-up, JIT warm-up, first samples),
# then measure for WINDOW seconds (default 60): CPU time of the whole process tree (the program and everything it
# started: journalctl for Eyes, plugins for netdata; children that exited during the window are counted through
# their parent's cutime/cstime) as percent of one core, and the tree's resident set (sum of VmRSS, and of Pss from
# smaps_rollup, which splits shared pages fairly) sampled every second — the mean over the window is reported.
# RUNS runs (default 3) per program, each in a fresh temporary directory; the median is printed.
#
# Eyes runs with its default configuration (journald, metrics, disk and the dashboard on 127.0.0.1:8787; a database
# of its own in the run's directory) through bin/eyes, i.e. with the JVM flags bin/eyes chooses; EYES_JAVA_OPTS adds flags for experiments. node-exporter and
# netdata are Debian's packages with their default configurations, run in the foreground by hand (no systemd here),
# and nobody scrapes any of the three during the measurement — unless SCRAPE=N is set: then each is scraped every N
# seconds during the window, as a Prometheus server would (Eyes on --metrics-bind, node-exporter's /metrics,
# netdata's /api/v1/allmetrics?format=prometheus). Installs the Debian packages it needs (root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/apt.sh"

WARMUP=${WARMUP:-30}
SCRAPE=${SCRAPE:-0}
WINDOW=${WINDOW:-60}
RUNS=${RUNS:-3}
TCK=$(getconf CLK_TCK)
what=${1:-all}

tree() { # pids of $1 and its descendants
  local pid=$1 kids k
  echo "$pid"
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  for k in $kids; do tree "$k"; done
}

ticks() { # utime+stime+cutime+cstime of the tree of $1
  local total=0 p f
  for p in $(tree "$1"); do
    [ -r "/proc/$p/stat" ] || continue
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    # after "pid (comm) ": state is field 1, utime 12, stime 13, cutime 14, cstime 15
    total=$((total + $(echo "$f" | awk '{print $12 + $13 + $14 + $15}')))
  done
  echo "$total"
}

memory() { # "rss_kb pss_kb main_rss_kb" of the tree of $1 (main: $1 itself, the program without its children)
  local rss=0 pss=0 p r s main
  main=$(awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || true)
  for p in $(tree "$1"); do
    r=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
    s=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0}))
  done
  echo "$rss $pss ${main:-0}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# measure NAME URL CMD...: runs CMD RUNS times; prints one line per run and the medians. URL is scraped every
# $SCRAPE seconds during the window when SCRAPE > 0.
measure() {
  local name=$1 url=$2; shift 2
  local cpus=() rsss=() psss=() mains=() i
  for i in $(seq 1 "$RUNS"); do
    local dir; dir=$(mktemp -d "/tmp/eyes-footprint-$name.XXXX")
    (cd "$dir" && exec setsid "$@" >"$dir/out.log" 2>"$dir/err.log") &
    local pid=$!
    sleep "$WARMUP"
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: exited during warm-up; stderr:" >&2; tail -20 "$dir/err.log" >&2; return 1
    fi
    local t0 t1 start end n=0 rss_sum=0 pss_sum=0 main_sum=0 m a b c
    local scraper=""
    if [ "$SCRAPE" -gt 0 ]; then
      (while true; do curl -s -o /dev/null "$url" || true; sleep "$SCRAPE"; done) &
      scraper=$!
    fi
    t0=$(ticks "$pid"); start=$(date +%s.%N)
    local deadline=$(( $(date +%s) + WINDOW ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      m=$(memory "$pid"); read -r a b c <<<"$m"
      rss_sum=$((rss_sum + a)); pss_sum=$((pss_sum + b)); main_sum=$((main_sum + c)); n=$((n + 1))
      sleep 1
    done
    t1=$(ticks "$pid"); end=$(date +%s.%N)
    if [ -n "$scraper" ]; then kill "$scraper" 2>/dev/null || true; wait "$scraper" 2>/dev/null || true; fi
    local cpu rss pss main
    cpu=$(awk -v a="$t0" -v b="$t1" -v s="$start" -v e="$end" -v hz="$TCK" 'BEGIN {printf "%.3f", 100 * (b - a) / hz / (e - s)}')
    rss=$(awk -v x="$rss_sum" -v n="$n" 'BEGIN {printf "%.1f", x / n / 1024}')
    pss=$(awk -v x="$pss_sum" -v n="$n" 'BEGIN {printf "%.1f", x / n / 1024}')
    main=$(awk -v x="$main_sum" -v n="$n" 'BEGIN {printf "%.1f", x / n / 1024}')
    echo "$name run $i: CPU ${cpu} % of one core, RSS ${rss} MB (main process ${main} MB), PSS ${pss} MB" \
      "($(tree "$pid" | wc -l) processes)"
    cpus+=("$cpu"); rsss+=("$rss"); psss+=("$pss"); mains+=("$main")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
  done
  printf '%-14s median of %d: CPU %s %% of one core, RSS %s MB (main process %s MB), PSS %s MB\n' "$name" \
    "$RUNS" "$(printf '%s\n' "${cpus[@]}" | median)" "$(printf '%s\n' "${rsss[@]}" | median)" \
    "$(printf '%s\n' "${mains[@]}" | median)" "$(printf '%s\n' "${psss[@]}" | median)" \
    | tee -a "$root/target/footprint.txt"
}

mkdir -p "$root/target"
echo "# $(date -u +%FT%TZ) warm-up ${WARMUP} s, window ${WINDOW} s, ${RUNS} runs, scrape every ${SCRAPE} s (0 = never);" \
  "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" \
  >> "$root/target/footprint.txt"

case "$what" in
  eyes|all)
    "$root/bin/eyes" version >/dev/null # build once, outside the measurement
    if [ "$SCRAPE" -gt 0 ]; then
      measure eyes http://127.0.0.1:19464/metrics env EYES_LOG=warn "$root/bin/eyes" run --database eyes.db \
        --metrics-bind 127.0.0.1:19464
    else
      measure eyes - env EYES_LOG=warn "$root/bin/eyes" run --database eyes.db
    fi
    ;;&
  node-exporter|all)
    eyes_apt_install prometheus-node-exporter
    measure node-exporter http://127.0.0.1:19100/metrics \
      /usr/bin/prometheus-node-exporter --web.listen-address=127.0.0.1:19100
    ;;&
  netdata|all)
    eyes_apt_install netdata
    # -D: foreground; its default configuration (collectors, 1 s updates, the dashboard on 19999)
    measure netdata 'http://127.0.0.1:19999/api/v1/allmetrics?format=prometheus' /usr/sbin/netdata -D
    ;;
  eyes|node-exporter) ;;
  *) echo "usage: $0 [eyes|node-exporter|netdata|all]" >&2; exit 2 ;;
esac
