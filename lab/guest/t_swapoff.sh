# swapoff time (TCG: trends only) vs pages swapped, vs PTEs in the swapped mm, vs PTEs in an mm
# that never swapped, vs device size. For each case one `hog offloop` process (in its own cgroup)
# fills swapped_mib MiB (30% random bytes per page) and read-faults zero_mib MiB of zero-page PTEs
# in the same VMA once, then repeats lab.swapoff_reps times: swapon, MADV_PAGEOUT of the
# swapped_mib, memory.reclaim of the swap cache (so that the pages really leave memory), a fixed
# CPU loop (calib_ns: how fast the guest runs at that moment on the shared host), timed swapoff.
# Another process may hold other_zero_mib MiB of zero-page PTEs and never swap (it is not on
# init_mm.mmlist). The PTE and device-size series swap 1 MiB, so that the page-table walk (or the
# size of the device) is what changes.
memcg=$(memcg_state)
reps=$(param swapoff_reps 5)
series=$(param swapoff_series pages_disk,pages_zswap,ptes_swapped,ptes_other,devsize)
want() { echo ",$series," | grep -q ",$1,"; }
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null

swoff() { # series backend dev_serial swapped_mib zero_mib other_zero_mib
  ser=$1; be=$2; serial=$3; S=$4; Z=$5; O=$6
  dev=$(devbyserial $serial) || { echo "ERROR scenario=swapoff msg=no-disk-with-serial-$serial"; return; }
  if [ $be = zswap ]; then
    echo 1 > /sys/module/zswap/parameters/enabled
    echo zsmalloc > /sys/module/zswap/parameters/zpool
    echo lzo > /sys/module/zswap/parameters/compressor
  else
    echo 0 > /sys/module/zswap/parameters/enabled
  fi
  setrot $dev 0
  gib=$(( $(cat /sys/block/${dev#/dev/}/size) / 2097152 ))
  settle
  opid=; opte=0
  if [ "$O" -gt 0 ]; then
    rm -f /tmp/ready2
    hog zero $O /tmp/ready2 > /tmp/hog2.out &
    opid=$!
    waitfile /tmp/ready2 12000 || echo "ERROR scenario=swapoff msg=other-not-ready"
    opte=$(stat_kb VmPTE $opid)
  fi
  cg=/sys/fs/cgroup/swoff
  mkdir -p $cg
  sh -c "echo \$\$ > $cg/cgroup.procs; exec hog offloop $dev $reps $S $Z $cg/memory.reclaim" > /tmp/loop.out
  grep -a HOGERR /tmp/loop.out
  sed -n "s/^SWOFFIT /SWOFF series=$ser backend=$be dev_serial=$serial dev_gib=$gib rot=$(getrot $dev) memcg=$memcg other_zero_mib=$O other_vmpte_kb=$opte /p" /tmp/loop.out
  [ -n "$opid" ] && { kill $opid; wait $opid 2>/dev/null; }
  rmdir $cg
}

# series                      backend disk  swapped zero other
if want pages_disk; then for S in 0 16 64 256; do swoff pages_disk disk work $S 0 0; done; fi
if want pages_zswap; then for S in 16 64 256; do swoff pages_zswap zswap work $S 0 0; done; fi
if want ptes_swapped; then for Z in 0 4096 16384; do swoff ptes_swapped disk work 1 $Z 0; done; fi
if want ptes_other; then for O in 4096 16384; do swoff ptes_other disk work 1 0 $O; done; fi
if want devsize; then for g in 1 64 1024; do swoff devsize disk s$g 1 0 0; done; fi
