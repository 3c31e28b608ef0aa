#!/usr/bin/env bash
# Throwaway single-node Ceph (memstore OSD, no auth) with a RadosGW on loopback, for the STS peer tests.
#
#   ceph-rgw.sh start DIR MON_PORT RGW_PORT   fresh cluster under DIR (must not exist or be empty); returns when
#                                             the gateway answers HTTP; prints nothing secret
#   ceph-rgw.sh admin DIR ARGS...             radosgw-admin against that cluster
#   ceph-rgw.sh stop DIR                      stop the daemons recorded in DIR/pids (rgw, osd, mon), remove DIR
#
# Daemons run under setsid with stdio in DIR/log, so a caller reading our stdout sees EOF when we exit.
set -euo pipefail

die() { echo "ceph-rgw.sh: $*" >&2; exit 1; }
TIMEOUT=${CEPH_RGW_START_TIMEOUT:-60}

alive() { [[ -r /proc/$1/stat ]] && ! grep -qE '^[0-9]+ \([^)]*\) [ZX]' "/proc/$1/stat"; }

stop_daemons() {
  local dir=$1 name pid
  [[ -f $dir/pids ]] || return 0
  # newest first: rgw, osd, mon
  tac "$dir/pids" | while read -r name pid; do
    alive "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
}

dump_logs() {
  local f
  for f in "$DIR"/log/*; do
    [[ -s $f ]] || continue
    echo "---- $f" >&2
    tail -n 20 "$f" >&2 || true
  done
}

fail() { echo "ceph-rgw.sh: $*" >&2; dump_logs; stop_daemons "$DIR"; exit 1; }

wait_for() {  # what, command...
  local what=$1; shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - T0 < TIMEOUT )) || fail "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.2
  done
}

daemon() {  # name command...
  local name=$1; shift
  setsid "$@" </dev/null >"$DIR/log/$name.out" 2>&1 &
  echo "$name $!" >>"$DIR/pids"
}

cluster() { timeout 10 ceph -c "$DIR/ceph.conf" --connect-timeout 5 "$@"; }

start() {
  DIR=$1 MON=$2 RGW=$3 T0=$SECONDS
  for b in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    command -v "$b" >/dev/null || die "missing $b: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common"
  done
  [[ $DIR == /*/* && $DIR != *[[:space:]]* ]] || die "DIR must be an absolute path below a directory, without spaces"
  if [[ -e $DIR ]] && [[ -n $(ls -A "$DIR") ]]; then die "$DIR is not empty"; fi
  mkdir -p "$DIR"/{mon,osd/ceph-0,rgw,run,log}
  chmod 700 "$DIR"
  : >"$DIR/pids"
  local fsid sts_key
  fsid=$(cat /proc/sys/kernel/random/uuid)
  sts_key=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')   # 16 hex chars: the AES key of RGW's session tokens
  cat >"$DIR/ceph.conf" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$MON]
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
# Without these the gateway waits in AUTH_CONNECTING until rgw init timeout.
ms mon client mode = crc secure
ms client mode = crc secure
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
run dir = $DIR/run
admin socket = $DIR/run/\$cluster-\$name.asok
log file = $DIR/log/\$name.log
log to stderr = false
mon cluster log file = $DIR/log/cluster.log
osd objectstore = memstore
memstore device bytes = 1073741824
osd data = $DIR/osd/\$cluster-\$id
osd max object name len = 460
osd max object namespace len = 64
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $DIR/mon/\$cluster-\$id
# Commit map changes at once: the gateway creates its pools one map change at a time.
paxos propose interval = 0.01
paxos min wait = 0.01

[client]
rgw init timeout = 45

[client.rgw.gw]
rgw data = $DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW
rgw sts key = $sts_key
rgw s3 auth use sts = true
CONF
  chmod 600 "$DIR/ceph.conf"
  local conf=(-c "$DIR/ceph.conf")
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON]" "$DIR/monmap" >"$DIR/log/monmaptool.out" 2>&1 \
    || fail "monmaptool failed"
  ceph-mon "${conf[@]}" --mkfs -i a --monmap "$DIR/monmap" >"$DIR/log/mon-mkfs.out" 2>&1 || fail "ceph-mon --mkfs failed"
  daemon mon ceph-mon "${conf[@]}" -f -i a
  wait_for "the monitor" cluster mon stat
  local uuid id
  uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$(cluster osd create "$uuid" 2>>"$DIR/log/osd-create.out") || fail "ceph osd create failed"
  [[ $id == 0 ]] || fail "expected osd id 0, got '$id'"
  ceph-osd "${conf[@]}" -i 0 --mkfs --osd-uuid "$uuid" >"$DIR/log/osd-mkfs.out" 2>&1 || fail "ceph-osd --mkfs failed"
  daemon osd ceph-osd "${conf[@]}" -f -i 0
  wait_for "osd.0 up" bash -c "timeout 10 ceph -c '$DIR/ceph.conf' --connect-timeout 5 osd dump | grep -Eq '^osd\.0 up +in'"
  daemon rgw radosgw "${conf[@]}" -f -n client.rgw.gw
  wait_for "the gateway on 127.0.0.1:$RGW" bash -c "exec 3<>/dev/tcp/127.0.0.1/$RGW && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -c 5 <&3 | grep -q HTTP"
  echo "ceph-rgw.sh: ready in $((SECONDS - T0)) s" >&2
}

case ${1:-} in
  start) [[ $# -eq 4 ]] || die "usage: start DIR MON_PORT RGW_PORT"; start "$2" "$3" "$4" ;;
  admin) [[ $# -ge 3 ]] || die "usage: admin DIR ARGS..."; DIR=$2; shift 2; exec radosgw-admin -c "$DIR/ceph.conf" "$@" ;;
  stop)  [[ $# -eq 2 ]] || die "usage: stop DIR"; stop_daemons "$2"; rm -rf -- "$2" ;;
  *) die "usage: start DIR MON_PORT RGW_PORT | admin DIR ARGS... | stop DIR" ;;
esac
