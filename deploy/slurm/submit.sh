#!/bin/bash
# Submits a sharded chokepoint batch to Slurm: the job array, then the merge,
# which starts only if every array task succeeded (afterok). See
# docs/cluster.md.
#
#   SHARDS=16 RUNS=100000 SEED=7 SCENARIOS="current-policy no-controls" \
#     RESULTS=/shared/me/batch-7 CHOKEPOINT=/shared/me/bin/chokepoint \
#     deploy/slurm/submit.sh [extra sbatch options for both jobs, e.g. --partition=compute]
#
# Environment (all optional; defaults in brackets):
#   SHARDS       number of array tasks [16]
#   RUNS, SEED   runs of the whole batch and its seed [100000, 1]
#   SCENARIOS    space-separated scenario names or .toml paths [current-policy]
#   RESULTS      fresh shared folder for shards and result [$PWD/chokepoint-results]
#   CHOKEPOINT   chokepoint binary readable from every node [chokepoint]
#   CHOKEPOINT_COMMAND  run, or compare (SCENARIOS is then "BASE OTHER...") [run]
#   CHOKEPOINT_ARGS, MERGE_ARGS  extra flags for run / merge
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Exported: each task then runs --shard $SLURM_ARRAY_TASK_ID/$SHARDS.
export SHARDS=${SHARDS:-16}
export RUNS=${RUNS:-100000} SEED=${SEED:-1} SCENARIOS=${SCENARIOS:-current-policy}
export RESULTS=${RESULTS:-$PWD/chokepoint-results}
export CHOKEPOINT=${CHOKEPOINT:-chokepoint}
export CHOKEPOINT_COMMAND=${CHOKEPOINT_COMMAND:-run}
export CHOKEPOINT_ARGS=${CHOKEPOINT_ARGS:-} MERGE_ARGS=${MERGE_ARGS:-}

if ! [[ $SHARDS =~ ^[1-9][0-9]*$ ]]; then
    echo "submit.sh: SHARDS must be a positive whole number, found '$SHARDS'" >&2
    exit 2
fi
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    echo "submit.sh: RUNS must be a positive whole number, found '$RUNS'" >&2
    exit 2
fi
# Shards cover whole chunks of 64 runs: more shards than chunks leaves some
# empty (and a first shard with no runs is not handled by chokepoint 0.1.0).
chunks=$(((RUNS + 63) / 64))
if ((SHARDS > chunks)); then
    echo "submit.sh: $RUNS runs make $chunks chunks of 64 runs; use at most $chunks shards, not $SHARDS" >&2
    exit 2
fi
# Results of an earlier batch in the same folder would be merged too (and
# refused as overlapping): insist on a fresh folder.
if [[ -d $RESULTS ]] && [[ -n $(ls -A "$RESULTS") ]]; then
    echo "submit.sh: $RESULTS is not empty; choose a fresh RESULTS folder per batch" >&2
    exit 2
fi
# The binary must be the same on every node; resolve it once, here, to an
# absolute path (it must sit on a file system the nodes share).
if ! bin=$(command -v "$CHOKEPOINT"); then
    echo "submit.sh: chokepoint binary '$CHOKEPOINT' not found (set CHOKEPOINT=/path/to/chokepoint)" >&2
    exit 2
fi
CHOKEPOINT=$(realpath "$bin")
mkdir -p "$RESULTS"
RESULTS=$(realpath "$RESULTS")

# --export=ALL (the default) hands RUNS, SEED, ... to every task.
array=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$@" \
    "$here/chokepoint-array.sbatch")
array=${array%%;*} # --parsable prints "jobid[;cluster]"
# --kill-on-invalid-dep: if a shard fails, cancel the merge instead of
# leaving it pending forever.
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" \
    --kill-on-invalid-dep=yes "$@" "$here/merge.sbatch")
merge=${merge%%;*}

echo "array job $array ($SHARDS shards of $RUNS runs, seed $SEED), merge job $merge"
echo "result: $RESULTS/merged (watch with: squeue -j $array,$merge)"
