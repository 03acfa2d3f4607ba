# swapoff time (TCG: trends only) vs pages swapped, vs PTEs in the swapped mm, vs PTEs in an mm
# that never swapped, vs device size. One `hog pageout` pushes swapped_mib MiB out with
# MADV_PAGEOUT (30% random bytes per page), optionally with zero_mib MiB of zero-page PTEs in the
# same VMA; another process may hold other_zero_mib MiB of zero-page PTEs and never swap.
# The PTE and device-size series swap only 1 MiB, so that the page-table walk (or the size of
# the device) is what changes the time. Repetitions are the outer loop, so that a slow spell of
# the (shared) host spreads over all cases instead of hitting one; `hog calib` times a fixed CPU
# loop right before each swapoff, as a measure of how fast the guest ran at that moment.
memcg=$(memcg_state)
reps=$(param swapoff_reps 3)
series=$(param swapoff_series pages_disk,pages_zswap,ptes_swapped,ptes_other,devsize)
want() { echo ",$series," | grep -q ",$1,"; }
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null

swoff() { # series backend dev_serial swapped_mib zero_mib other_zero_mib rep
  ser=$1; be=$2; serial=$3; S=$4; Z=$5; O=$6; r=$7
  dev=$(devbyserial $serial) || { echo "ERROR scenario=swapoff msg=no-disk-with-serial-$serial"; return; }
  if [ $be = zswap ]; then
    echo 1 > /sys/module/zswap/parameters/enabled
    echo zsmalloc > /sys/module/zswap/parameters/zpool
    echo lzo > /sys/module/zswap/parameters/compressor
  else
    echo 0 > /sys/module/zswap/parameters/enabled
  fi
  setrot $dev 0
  settle
  on=$(hog swapon $dev)
  opid=
  if [ "$O" -gt 0 ]; then
    rm -f /tmp/ready2
    hog zero $O /tmp/ready2 > /tmp/hog2.out &
    opid=$!
    waitfile /tmp/ready2 12000 || echo "ERROR scenario=swapoff msg=other-not-ready"
  fi
  rm -f /tmp/ready
  cg=/sys/fs/cgroup/swoff
  mkdir -p $cg
  sh -c "echo \$\$ > $cg/cgroup.procs; exec hog pageout $S $S 30 /tmp/ready $Z" > /tmp/hog.out &
  pid=$!
  waitfile /tmp/ready 12000 || echo "ERROR scenario=swapoff msg=hog-not-ready"
  sleep 1
  # MADV_PAGEOUT to a disk leaves the written folios in the swap cache; reclaim them so that
  # swapoff has to read the pages back, as after real memory pressure
  sc0=$(meminfo_kb SwapCached)
  [ "$sc0" -gt 0 ] && echo $((sc0 * 1024)) > $cg/memory.reclaim 2>/dev/null
  sleep 1
  sc1=$(meminfo_kb SwapCached)
  used_kb=$(( $(meminfo_kb SwapTotal) - $(meminfo_kb SwapFree) ))
  zsw_kb=$(meminfo_kb Zswapped)
  vs0=$(stat_kb VmSwap $pid)
  pte=$(stat_kb VmPTE $pid)
  opte=0; [ -n "$opid" ] && opte=$(stat_kb VmPTE $opid)
  cal=$(hog calib)
  off=$(hog swapoff $dev)
  vs1=$(stat_kb VmSwap $pid)
  ready=$(sed 's/^READY //' /tmp/hog.out)
  echo "SWOFF series=$ser backend=$be dev_serial=$serial dev_gib=$(( $(cat /sys/block/${dev#/dev/}/size) / 2097152 )) rot=$(getrot $dev) memcg=$memcg swapped_mib=$S zero_mib=$Z other_zero_mib=$O rep=$r swap_used_kb=$used_kb zswapped_kb=${zsw_kb:-na} vmswap_kb_before=$vs0 vmswap_kb_after=$vs1 vmpte_kb=$pte other_vmpte_kb=$opte swapcached_kb_pageout=$sc0 swapcached_kb=$sc1 calib_ns=$(tok ns "$cal") swapon_rc=$(tok rc "$on") swapon_ns=$(tok ns "$on") swapoff_rc=$(tok rc "$off") swapoff_errno=$(tok errno "$off") swapoff_ns=$(tok ns "$off") fill_ns=$(tok fill_ns "$ready") pageout_ns=$(tok pageout_ns "$ready") pageout_rc=$(tok pageout_rc "$ready") zero_ns=$(tok zero_ns "$ready") uptime=$(uptime_s)"
  kill $pid; wait $pid 2>/dev/null
  [ -n "$opid" ] && { kill $opid; wait $opid 2>/dev/null; }
  rmdir $cg
}

for r in $(seq 1 $reps); do
  # series        backend  disk  swapped zero other
  if want pages_disk; then for S in 0 16 64 256; do swoff pages_disk disk work $S 0 0 $r; done; fi
  if want pages_zswap; then for S in 16 64 256; do swoff pages_zswap zswap work $S 0 0 $r; done; fi
  if want ptes_swapped; then for Z in 0 4096 16384; do swoff ptes_swapped disk work 1 $Z 0 $r; done; fi
  if want ptes_other; then for O in 4096 16384; do swoff ptes_other disk work 1 0 $O $r; done; fi
  if want devsize; then for g in 1 64 1024; do swoff devsize disk s$g 1 0 0 $r; done; fi
done
