# Helpers shared by the lab scenarios (sourced by /init).

# param NAME DEFAULT: the value of lab.NAME=... on the kernel command line
param() {
  v=$(sed -n "s/.*[ ]lab\.$1=\([^ ]*\).*/\1/p" /proc/cmdline)
  echo "${v:-$2}"
}
csv() { echo "$1" | tr , ' '; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# sync, drop the page cache and slab caches that can go, compact: a quiet starting point
settle() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
  echo 1 > /proc/sys/vm/compact_memory
  sleep 1
}

# /dev/vdX of the virtio disk whose serial is $1
devbyserial() {
  for d in /sys/block/vd*; do
    [ "$(cat $d/serial 2>/dev/null)" = "$1" ] && { echo /dev/${d##*/}; return 0; }
  done
  return 1
}

setrot() { echo "$2" > /sys/block/${1#/dev/}/queue/rotational; }
getrot() { cat /sys/block/${1#/dev/}/queue/rotational; }

# waitfile FILE [tenths-of-seconds]: wait until FILE exists
waitfile() {
  n=0; lim=${2:-6000}
  while [ ! -e "$1" ]; do
    sleep 0.1; n=$((n + 1))
    [ $n -ge $lim ] && return 1
  done
  return 0
}

memcg_state() {
  if grep -qw cgroup_disable=memory /proc/cmdline; then echo off; else echo on; fi
}

zswap_params() {
  for p in enabled zpool compressor max_pool_percent same_filled_pages_enabled; do
    [ -e /sys/module/zswap/parameters/$p ] && printf '%s=%s ' $p "$(cat /sys/module/zswap/parameters/$p)"
  done
}

# key=value tokens from a "key value" file (memory.stat, memory.events)
kv() { [ -e "$1" ] && sed 's/^\([^ ]*\) \(.*\)$/\1=\2/' "$1" | tr '\n' ' '; }

# every /sys/kernel/debug/zswap counter as key=value
zdbg() {
  for f in /sys/kernel/debug/zswap/*; do
    [ -f "$f" ] && printf '%s=%s ' ${f##*/} "$(cat $f)"
  done
}

# a cgroup file's value, or "na" when the kernel has no such file
cgv() { if [ -e "$1" ]; then cat "$1"; else echo na; fi; }

meminfo_kb() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
# stat_kb FIELD PID: a kB field of /proc/PID/status (VmSwap, VmPTE, VmRSS)
stat_kb() { awk -v f="$1:" '$1 == f { print $2 }' /proc/$2/status; }

# tok KEY "k=v k=v ...": the value of KEY in a line of key=value tokens
tok() { echo " $2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
