#!/usr/bin/env bash
# Candidates per minute of a proxy-estimator search: one process vs `mpirun -n 3` (rank 0
# searches, two ranks evaluate). A throughput figure, not a pass/fail test; the machine's load
# average is printed with it because other processes change it.
#   bench/mpi_throughput.sh [build dir] [budget]
set -euo pipefail
build="${1:-build}"
budget="${2:-12}"
cli="$build/app/archscope-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Random search: the same candidates whatever the window, so both sides do the same work.
args=(search --hw tpuv3 --accuracy proxy --algo random --seed 1 --budget "$budget" --window 4
      --accuracy-settings '{"epochs":1,"train_subset":1024,"test_subset":512}')

elapsed() { grep -o '([0-9.]* s)' "$1" | tr -d '(s )'; }
rate() { python3 -c "print(f'{($budget + 3) / $1 * 60:.1f}')"; }  # + the 3 reference points

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
"$cli" "${args[@]}" --db "$work/one.db" > "$work/one.txt"
one=$(elapsed "$work/one.txt")
echo "1 process:          $one s, $(rate "$one") evaluations/min"
mpirun --oversubscribe --allow-run-as-root -n 3 "$cli" "${args[@]}" --db "$work/mpi.db" --mpi \
  > "$work/mpi.txt" 2> "$work/mpi.err"
mpi=$(elapsed "$work/mpi.txt")
echo "mpirun -n 3:        $mpi s, $(rate "$mpi") evaluations/min"
echo "speed-up:           $(python3 -c "print(f'{$one / $mpi:.2f}')")x"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
