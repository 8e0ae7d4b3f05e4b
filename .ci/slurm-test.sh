#!/usr/bin/env bash
# Real single-node Slurm cluster test of chokepoint's sharding.
#
# Installs Slurm and MUNGE from Debian (skipped when already installed),
# starts munged, slurmctld and slurmd on this machine with a private
# configuration (in a temporary folder, on ports 16817/16818, so that it
# touches no Slurm set-up of the host), and then:
#   1. runs a 4-task job array with deploy/slurm/chokepoint-array.sbatch
#      (sbatch --array=0-3 --wait): chokepoint run current-policy --runs 1000
#      --seed 11 --shard auto --out $TMP/shard-$SLURM_ARRAY_TASK_ID;
#   2. merges the shards with deploy/slurm/merge.sbatch, submitted as a job
#      that depends on the array (--dependency=afterok);
#   3. submits the same batch over 3 shards with deploy/slurm/submit.sh;
#   4. runs the batch unsharded here and compares the summary.csv files
#      byte for byte (cmp), and checks that merge refuses a missing shard.
# Prints one PASS or FAIL line and exits non-zero on failure (with sinfo,
# squeue, scontrol, sacct and log diagnostics). Stops the daemons it started
# and removes its temporary folder (KEEP_TMP=1 keeps it).
#
# Needs root and apt (Debian). Meant for machines without systemd as PID 1:
# daemons are started directly. Takes well under a minute once Slurm is
# installed; call it with a bound, e.g. `timeout 300 bash .ci/slurm-test.sh`.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="/usr/local/go/bin:/usr/sbin:/sbin:$PATH"
T0=$SECONDS
log() { printf '[slurm-test %3ds] %s\n' $((SECONDS - T0)) "$*"; }

if [[ $(id -u) != 0 ]]; then
    echo "slurm-test: FAIL: must run as root (it installs packages and starts daemons)"
    exit 1
fi

TMP=$(mktemp -d /tmp/chokepoint-slurm-test.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$TMP"/{etc,state,spool,run,log,jobs}
HOST=$(hostname -s)
export SLURM_CONF=$TMP/etc/slurm.conf
CTLD_PID="" SLURMD_PID="" MUNGED_PID="" POLICY_RC_CREATED=""

diagnostics() {
    set +e
    echo "---- diagnostics ----"
    echo "## sinfo"; timeout 10 sinfo
    echo "## sinfo -R"; timeout 10 sinfo -R
    echo "## squeue"; timeout 10 squeue -a
    echo "## scontrol -o show job"; timeout 10 scontrol -o show job
    echo "## sacct (accounting storage is off in this test cluster; see jobcomp below)"
    timeout 10 sacct -a 2>&1 | head -20
    echo "## jobcomp"; cat "$TMP/log/jobcomp.txt" 2>/dev/null
    for f in "$TMP"/log/*.log "$TMP"/log/*.out "$TMP"/jobs/*.out; do
        [[ -f $f ]] || continue
        echo "## tail -n 40 $f"; tail -n 40 "$f"
    done
    echo "---- end of diagnostics ----"
}

fail() {
    echo "slurm-test: FAIL: $*"
    diagnostics
    exit 1
}

stop_pid() { # stop_pid PID NAME: TERM, wait up to 10 s, then KILL
    local pid=$1 name=$2 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    echo "slurm-test: $name ($pid) did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    # Cancel whatever is left in this private test cluster (only this
    # script's jobs can be there), then stop the daemons this script started.
    if [[ -n $CTLD_PID ]] && kill -0 "$CTLD_PID" 2>/dev/null; then
        local left
        left=$(timeout 10 squeue -h -o %i 2>/dev/null)
        if [[ -n $left ]]; then
            # shellcheck disable=SC2086
            timeout 10 scancel $left
            for ((i = 0; i < 25; i++)); do
                [[ -z $(timeout 5 squeue -h -o %i 2>/dev/null) ]] && break
                sleep 0.2
            done
        fi
    fi
    stop_pid "$SLURMD_PID" slurmd
    stop_pid "$CTLD_PID" slurmctld
    stop_pid "$MUNGED_PID" munged
    [[ -n $POLICY_RC_CREATED ]] && rm -f /usr/sbin/policy-rc.d
    if [[ ${KEEP_TMP:-} == 1 ]]; then
        echo "slurm-test: kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS WHAT COMMAND...: retry COMMAND every 0.5 s until it succeeds.
wait_for() {
    local limit=$1 what=$2 end=$((SECONDS + $1))
    shift 2
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < end)) || fail "$what: not ready after ${limit}s"
        sleep 0.5
    done
}

# ---- build chokepoint (first: a compile error should fail fast) ----
log "building chokepoint"
(cd "$REPO" && timeout 180 go build -o "$TMP/chokepoint" ./cmd/chokepoint) || fail "go build"

# ---- install Slurm and MUNGE (idempotent) ----
missing=0
for c in slurmctld slurmd sbatch sinfo squeue scontrol scancel munged munge unmunge; do
    command -v "$c" >/dev/null || missing=1
done
if ((missing)); then
    log "installing slurm-wlm and munge"
    # Keep the packages' init scripts from starting daemons (there is no
    # init system to manage them and no configuration yet).
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    timeout 120 apt-get update -qq || fail "apt-get update"
    timeout 240 apt-get install -y -qq --no-install-recommends slurm-wlm munge >"$TMP/log/apt.out" 2>&1 ||
        { tail -n 30 "$TMP/log/apt.out"; fail "apt-get install slurm-wlm munge"; }
    [[ -n $POLICY_RC_CREATED ]] && rm -f /usr/sbin/policy-rc.d && POLICY_RC_CREATED=""
else
    log "slurm and munge already installed"
fi
log "$(slurmctld -V)"

# ---- MUNGE ----
munge_ok() { munge -n </dev/null | unmunge >/dev/null; }
if munge_ok 2>/dev/null; then
    log "munged already running"
else
    if [[ ! -s /etc/munge/munge.key ]]; then
        log "creating /etc/munge/munge.key"
        mkdir -p /etc/munge
        mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge /etc/munge/munge.key
    chmod 700 /etc/munge
    chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge
    chmod 755 /run/munge
    log "starting munged"
    # munged forks into the background and writes its pid file.
    rm -f /run/munge/munged.pid
    timeout 20 runuser -u munge -- munged || fail "munged did not start"
    wait_for 10 "munged pid file" test -s /run/munge/munged.pid
    MUNGED_PID=$(cat /run/munge/munged.pid)
    wait_for 10 "munge credential round trip" munge_ok
fi

# ---- Slurm configuration (private to this test) ----
# The node's topology as slurmd sees it; memory minus a margin for the OS.
node=$(slurmd -C | head -n 1 | sed -e 's/ RealMemory=[0-9]*//' -e 's/^NodeName=[^ ]* //')
mem=$(free -m | awk '/^Mem:/ {print $2}')
real_mem=$((mem - mem / 10 > mem - 1024 ? mem - mem / 10 : mem - 1024))
((real_mem >= 512)) || real_mem=$((mem / 2))
cat >"$SLURM_CONF" <<EOF
# Written by .ci/slurm-test.sh: one-node test cluster, no cgroups, no accounting.
ClusterName=chokepoint-ci
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/builtin
ReturnToService=2
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$TMP/log/jobcomp.txt
MinJobAge=600
InactiveLimit=0
KillWait=5
SlurmdTimeout=60
NodeName=$HOST NodeAddr=127.0.0.1 NodeHostname=$HOST $node RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
log "node: $HOST $node RealMemory=$real_mem"

# ---- daemons left by an earlier run of this test that was killed outright ----
# They would hold the test ports. Only slurmctld/slurmd processes started
# with another run's configuration of this test are stopped, each by its pid,
# and that run's temporary folder is removed.
for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
    [[ $cmd =~ ^[^\ ]*slurm(ctld|d)\ .*-f\ (/tmp/chokepoint-slurm-test\.[A-Za-z0-9]+)/etc/slurm\.conf ]] || continue
    stale=${BASH_REMATCH[2]}
    [[ $stale == "$TMP" ]] && continue
    log "stopping stale ${p#/proc/}: $cmd"
    stop_pid "${p#/proc/}" "stale slurm daemon"
    rm -rf "$stale"
done

# ---- start the daemons (in the foreground, as our own children) ----
log "starting slurmctld and slurmd"
slurmctld -D -c -f "$SLURM_CONF" >"$TMP/log/slurmctld.out" 2>&1 &
CTLD_PID=$!
wait_for 30 "slurmctld (scontrol ping)" bash -c 'scontrol ping | grep -q "is UP"'
slurmd -D -f "$SLURM_CONF" >"$TMP/log/slurmd.out" 2>&1 &
SLURMD_PID=$!
end=$((SECONDS + 60))
while :; do
    kill -0 "$CTLD_PID" 2>/dev/null || fail "slurmctld exited"
    kill -0 "$SLURMD_PID" 2>/dev/null || fail "slurmd exited"
    state=$(sinfo -h -N -n "$HOST" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    ((SECONDS < end)) || fail "node $HOST is '$state', not idle, after 60s"
    sleep 0.5
done
log "sinfo: $(sinfo -h -o '%P %a %D %T %N')"

# ---- 1. the job array ----
unset SHARDS CHOKEPOINT_COMMAND # step 1 tests --shard auto (N from the array)
export CHOKEPOINT=$TMP/chokepoint SCENARIOS=current-policy RUNS=1000 SEED=11
export CHOKEPOINT_ARGS="--no-charts --quiet" MERGE_ARGS="--no-charts --quiet"
small=(--mem=256M --time=5 --chdir="$TMP/jobs")
log "sbatch --array=0-3 --wait deploy/slurm/chokepoint-array.sbatch"
RESULTS=$TMP timeout 150 sbatch --parsable --wait --array=0-3 --cpus-per-task=1 "${small[@]}" \
    --output="$TMP/jobs/array-%A_%a.out" "$REPO/deploy/slurm/chokepoint-array.sbatch" \
    >"$TMP/array.id" || fail "job array (sbatch --wait exit $?)"
array=$(cut -d';' -f1 "$TMP/array.id")
for i in 0 1 2 3; do
    [[ -f $TMP/shard-$i/state.bin && -f $TMP/shard-$i/manifest.json ]] ||
        fail "array task $i wrote no shard folder $TMP/shard-$i"
    grep -q "\"shard\": \"$i/4\"" "$TMP/shard-$i/manifest.json" ||
        fail "shard-$i/manifest.json does not say shard $i/4"
done
log "array job $array done: shard-0..3 written"

# ---- 2. merge, as a job depending on the array ----
log "sbatch --dependency=afterok:$array --wait deploy/slurm/merge.sbatch"
RESULTS=$TMP timeout 90 sbatch --parsable --wait --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    "${small[@]}" --output="$TMP/jobs/merge-%j.out" "$REPO/deploy/slurm/merge.sbatch" \
    >"$TMP/merge.id" || fail "merge job (sbatch --wait exit $?)"
[[ -f $TMP/merged/summary.csv ]] || fail "merge job wrote no $TMP/merged/summary.csv"
log "merge job $(cut -d';' -f1 "$TMP/merge.id") done"

# ---- 3. the same batch over 3 shards through submit.sh ----
log "SHARDS=3 deploy/slurm/submit.sh"
out=$(cd "$TMP/jobs" && SHARDS=3 RESULTS=$TMP/via-submit timeout 30 \
    "$REPO/deploy/slurm/submit.sh" "${small[@]}" --cpus-per-task=1) || fail "submit.sh: $out"
echo "$out"
merge=$(sed -n 's/.*merge job \([0-9]*\).*/\1/p' <<<"$out")
[[ -n $merge ]] || fail "submit.sh printed no merge job id"
end=$((SECONDS + 90))
while :; do
    jstate=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $jstate in
    COMPLETED) break ;;
    PENDING | RUNNING | CONFIGURING | COMPLETING | "") ;;
    *) fail "submit.sh merge job $merge ended $jstate" ;;
    esac
    ((SECONDS < end)) || fail "submit.sh merge job $merge still '$jstate' after 90s"
    sleep 0.5
done
log "submit.sh jobs done"

# ---- 4. compare with one unsharded run ----
log "unsharded run and comparison"
"$TMP/chokepoint" run current-policy --runs 1000 --seed 11 --no-charts --quiet --out "$TMP/unsharded" ||
    fail "unsharded run"
cmp "$TMP/unsharded/summary.csv" "$TMP/merged/summary.csv" ||
    fail "summary.csv of the 4-shard Slurm array differs from the unsharded run"
cmp "$TMP/unsharded/params.csv" "$TMP/merged/params.csv" ||
    fail "params.csv of the 4-shard Slurm array differs from the unsharded run"
cmp "$TMP/unsharded/summary.csv" "$TMP/via-submit/merged/summary.csv" ||
    fail "summary.csv of the 3-shard submit.sh batch differs from the unsharded run"
if msg=$("$TMP/chokepoint" merge "$TMP/shard-0" "$TMP/shard-1" "$TMP/shard-3" --out "$TMP/gap" 2>&1); then
    fail "merge accepted shards 0, 1 and 3 of 4"
fi
grep -q "missing" <<<"$msg" || fail "merge of a gap failed without naming the missing runs: $msg"
log "merge refuses a missing shard: $msg"

lines=$(wc -l <"$TMP/merged/summary.csv")
echo "slurm-test: PASS: 4-task Slurm array + dependent merge and 3-shard submit.sh give summary.csv byte-identical to the unsharded run ($lines lines, $((SECONDS - T0))s)"
