# Host snapshot of a real kernel under load, for `swapcost host --snapshot` (data/hosts/).
#
# lab.snap=zswap (default): swap on the `work` virtio disk (made non-rotational: an SSD), zswap on
#   with the kernel's default pool and compressor (lab.snap_zpool / lab.snap_compressor override),
#   and four cgroup v2 groups under /fleet that push memory out in different ways:
#     web     no limits; 96 MiB filled (30% random bytes per page), 48 MiB MADV_PAGEOUT
#     batch   memory.max 64M, memory.zswap.max 8M; 128 MiB filled (60% random): reclaim under the
#             limit, zswap capped (6.12+ writes back to disk over the cap, 6.1 rejects to disk)
#     idle    64 MiB of zero-filled pages paged out (6.1: same-filled zswap entries; 6.12: zeromap)
#     noz     memory.zswap.max 0; 32 MiB incompressible (100% random) paged out: straight to disk
# lab.snap=zram: swap on a 512 MiB zram device (lz4 when the kernel has it), zswap off; web and
#   idle as above (Android-like).
# Then every file swapcost's host reader reads (src/host/layout.ts) is copied with the same
# relative layout into /tmp/snap, swapcost/mm-summary (process counts) is computed as the reader
# computes it, and the tree is printed as a gzip'ed tar in base64 between SNAPSHOT_BEGIN and
# SNAPSHOT_END; lab/snapshot.mjs unpacks it on the host. The hogs stay alive until the copy is done.
mode=$(param snap zswap)
cgr=/sys/fs/cgroup
echo +memory > $cgr/cgroup.subtree_control 2>/dev/null
mkdir -p $cgr/fleet
echo +memory > $cgr/fleet/cgroup.subtree_control 2>/dev/null
pids=""

snapgroup() { # name memory.max zswap.max fill_mib pageout_mib pattern
  g=$cgr/fleet/$1
  mkdir -p $g
  echo $2 > $g/memory.max
  [ -e $g/memory.zswap.max ] && echo $3 > $g/memory.zswap.max
  rm -f /tmp/ready.$1
  sh -c "echo \$\$ > $g/cgroup.procs; exec hog pageout $4 $5 $6 /tmp/ready.$1" > /tmp/hog.$1 &
  pids="$pids $!"
  waitfile /tmp/ready.$1 12000 || echo "ERROR scenario=snapshot msg=hog-$1-not-ready"
  sed "s/^READY/SNAPHOG group=$1/" /tmp/hog.$1
}

if [ "$mode" = zram ]; then
  echo 0 > /sys/module/zswap/parameters/enabled
  z=/sys/block/zram0
  if [ -e $z ]; then
    grep -q lz4 $z/comp_algorithm && echo lz4 > $z/comp_algorithm
    echo 512M > $z/disksize
    mkswap /dev/zram0 > /dev/null
    hog swapon /dev/zram0 | sed 's/^/SNAPSWAPON /'
  else
    echo "ERROR scenario=snapshot msg=no-zram0"
  fi
  snapgroup web max max 96 48 30
  snapgroup idle max max 64 64 zero
else
  work=$(devbyserial work)
  setrot $work 0
  hog swapon $work | sed 's/^/SNAPSWAPON /'
  echo 1 > /sys/module/zswap/parameters/enabled
  zp=$(param snap_zpool ""); co=$(param snap_compressor "")
  [ -n "$zp" ] && echo $zp > /sys/module/zswap/parameters/zpool
  [ -n "$co" ] && echo $co > /sys/module/zswap/parameters/compressor
  snapgroup web max max 96 48 30
  snapgroup batch 64M 8M 128 0 60
  snapgroup idle max max 64 64 zero
  snapgroup noz max 0 32 32 100
fi
sleep 2

# copy the files, same relative layout (cat, not tar, because /proc and /sys files report size 0)
S=/tmp/snap
rm -rf $S
cp1() { # relative path: copy when readable
  [ -f "/$1" ] || return 0
  mkdir -p "$S/$(dirname "$1")"
  cat "/$1" > "$S/$1" 2>/dev/null || { rm -f "$S/$1"; echo "SNAPUNREADABLE $1"; }
}
for f in proc/swaps proc/meminfo proc/vmstat proc/sys/kernel/osrelease proc/version proc/cmdline \
         proc/cgroups proc/self/mounts sys/devices/system/cpu/possible; do cp1 $f; done
for f in /sys/module/zswap/parameters/* /sys/kernel/debug/zswap/*; do [ -f "$f" ] && cp1 "${f#/}"; done
for d in /sys/block/*; do
  b=${d##*/}
  cp1 sys/block/$b/queue/rotational
  case $b in zram*) cp1 sys/block/$b/disksize; cp1 sys/block/$b/mm_stat ;; esac
done
cp1 sys/fs/cgroup/cgroup.controllers
for d in $(find $cgr -type d); do
  for f in memory.current memory.swap.current memory.zswap.current memory.stat memory.max \
           memory.swap.max memory.zswap.max memory.zswap.writeback; do
    cp1 "${d#/}/$f"
  done
done
# swapcost/mm-summary: counts over every /proc/<pid>/status (VmSwap, VmPTE), no names or ids
np=0; ns=0; vs=0; ps=0; pa=0
for f in /proc/[0-9]*/status; do
  set -- $(awk '/^VmPTE:/ { p = $2 } /^VmSwap:/ { s = $2 } END { if (p != "") print p, (s == "" ? 0 : s) }' $f 2>/dev/null)
  [ -n "$1" ] || continue
  np=$((np + 1)); pa=$((pa + $1))
  if [ "$2" -gt 0 ]; then ns=$((ns + 1)); vs=$((vs + $2)); ps=$((ps + $1)); fi
done
mkdir -p $S/swapcost
printf '# sums over /proc/<pid>/status of %s processes with an mm (counts only)\nprocesses %s\nswapping_processes %s\nvmswap_kb %s\nvmpte_kb_swapping %s\nvmpte_kb_all %s\n' \
  $np $np $ns $vs $ps $pa > $S/swapcost/mm-summary
echo "SNAPSHOT_BEGIN mode=$mode"
tar -c -C $S . | gzip -9 | base64
echo "SNAPSHOT_END"

for p in $pids; do kill $p 2>/dev/null; done
wait 2>/dev/null
