#!/usr/bin/env bash
# The 1,000-project batch end to end, with the time of each stage (BENCHMARKS.md, "`guide` and
# `batch`"; issue 17: full run ≤ 1.5 × extraction + checks).
#
#   cargo build --release
#   benches/batch_big.sh [PROJECTS=1000] [RUNS=3] [OTHER_YANSHOU]
#
# Builds the batch once into $WORK (default /tmp/yanshou-batch-big) with
# corpora/tools/make_big_batch.py, then runs `yanshou batch` RUNS times into an empty output
# folder on tmpfs (/dev/shm, else $WORK), with YANSHOU_TIMING=1 for the stages (wall and CPU
# time of each) and /usr/bin/time for the whole process (wall, user + sys, peak RSS). With
# OTHER_YANSHOU (another build's binary, e.g. main's), the two alternate run by run, so that
# their figures come from the same minutes of a shared machine. Prints, per binary, the median
# of each figure and the ratio full / (reading + checks), in wall and in CPU time; the load
# average before each run is printed with it (above the core count, wall times measure the
# wait for a core, and only CPU times and ratios within one run compare).
set -uo pipefail
N=${1:-1000}
RUNS=${2:-3}
OTHER=${3:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Y=$(realpath "${YANSHOU:-$ROOT/target/release/yanshou}")
WORK=${WORK:-/tmp/yanshou-batch-big}
OUTBASE=/dev/shm
[ -d "$OUTBASE" ] && [ -w "$OUTBASE" ] || OUTBASE=$WORK
BATCH=$WORK/batch-$N
mkdir -p "$WORK"
if [ ! -d "$BATCH/projects" ]; then
  python3 "$ROOT/corpora/tools/make_big_batch.py" "$BATCH" "$N" >/dev/null || exit 1
fi

bins=("$Y")
[ -n "$OTHER" ] && bins+=("$(realpath "$OTHER")")

# One run of binary $1 (label $2): appends "stage wall_ms cpu_ms" lines and a "total" line.
one() {
  local bin=$1 tag=$2 out="$OUTBASE/yanshou-batch-big-$2"
  rm -rf "$out"
  echo "  $tag: load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  YANSHOU_TIMING=1 /usr/bin/time -o "$WORK/time-$tag" -f "%e %U %S %M" \
    "$bin" batch --quiet --out "$out" "$BATCH" 2>"$WORK/err-$tag" >/dev/null \
    || { echo "failed: $bin ($(tail -c 300 "$WORK/err-$tag"))" >&2; exit 1; }
  # "[耗时] 读取文件: 5840.1 ms（CPU 4260 ms）"; builds before the CPU figure: CPU 0.
  # A phase's detail in brackets ("重复检测·增量（… 重新比对 4 对 …）") goes: names are one field.
  sed -n -e 's/^\(\[耗时\] [^:（]*\)（[^）]*）: /\1: /' \
    -e 's/^\[耗时\] \(.*\): \([0-9.]*\) ms（CPU \([0-9]*\) ms）$/\1 \2 \3/p' \
    -e 's/^\[耗时\] \(.*\): \([0-9.]*\) ms$/\1 \2 0/p' "$WORK/err-$tag" >>"$WORK/stages-$tag"
  awk '{ printf "total %.0f %.0f %s\n", $1 * 1000, ($2 + $3) * 1000, $4 }' "$WORK/time-$tag" \
    >>"$WORK/stages-$tag"
  rm -rf "$out"
}

for i in "${!bins[@]}"; do : >"$WORK/stages-$i"; done
for r in $(seq "$RUNS"); do
  echo "run $r of $RUNS" >&2
  for i in "${!bins[@]}"; do one "${bins[$i]}" "$i"; done
done

# Medians per stage, in the order the stages ran; then the ratio.
for i in "${!bins[@]}"; do
  echo "== ${bins[$i]} ($N projects, $RUNS runs, medians)"
  awk '
    function median(list,   n, a, t, j, k) {
      n = split(list, a, " ")
      for (j = 1; j <= n; j++) for (k = j + 1; k <= n; k++) if (a[k] < a[j]) { t = a[j]; a[j] = a[k]; a[k] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      if (!($1 in wall)) order[++n] = $1
      wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " $3
      if ($1 == "total") rss = rss " " $4
    }
    END {
      printf "%10s %10s  %s\n", "wall ms", "CPU ms", "stage"
      for (j = 1; j <= n; j++) {
        s = order[j]; w = median(wall[s]); c = median(cpu[s])
        printf "%10.0f %10.0f  %s\n", w, c, s
        W[s] = w; C[s] = c
      }
      printf "peak RSS %.0f MB\n", median(rss) / 1024
      base_w = W["读取文件"] + W["核对并写清单"]; base_c = C["读取文件"] + C["核对并写清单"]
      if (base_w > 0)
        printf "full / (reading + checks): wall %.2f, CPU %s\n", W["total"] / base_w,
          (base_c > 0) ? sprintf("%.2f", C["total"] / base_c) : "-"
      print "(a stage that runs beside the index, which starts after 读取文件, has its share in its figures)"
    }' "$WORK/stages-$i"
done
