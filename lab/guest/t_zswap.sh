# memcg + zswap charging. Each case runs one `hog pageout` in its own cgroup v2 group:
# it maps fill_mib MiB, fills them with a pattern and MADV_PAGEOUTs the first pageout_mib MiB
# (pressure cases instead fill more than memory.max and let reclaim do it). Then every cgroup
# counter, the zswap debugfs counters and the global slab / meminfo deltas are printed.
work=$(devbyserial work)
memcg=$(memcg_state)
zcases=$(param zcases all)
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
if [ -z "$work" ]; then
  echo "ERROR scenario=zswap msg=no-disk-with-serial-work"
else
  setrot $work 0
  hog swapon $work | sed 's/^/ZSWAPON /'

  zcase() { # id zpool compressor enabled fill_mib pageout_mib pattern zswap_max memory_max
    id=$1; zpool=$2; comp=$3; en=$4; fill=$5; out=$6; pat=$7; zmax=$8; mmax=$9
    if [ "$zcases" != all ] && ! echo ",$zcases," | grep -q ",$id,"; then return; fi
    echo $en > /sys/module/zswap/parameters/enabled
    echo $zpool > /sys/module/zswap/parameters/zpool 2>/dev/null || echo "ERROR case=$id msg=zpool-$zpool-refused"
    echo $comp > /sys/module/zswap/parameters/compressor 2>/dev/null || echo "ERROR case=$id msg=compressor-$comp-refused"
    settle
    echo "ZDBG0 case=$id $(zdbg)"
    hog snap save /tmp/snap0
    cg=/sys/fs/cgroup/$id
    mkdir $cg
    [ -e $cg/memory.zswap.max ] && echo $zmax > $cg/memory.zswap.max
    echo $mmax > $cg/memory.max
    rm -f /tmp/ready /tmp/hog.out
    t0=$(hog now)
    sh -c "echo \$\$ > $cg/cgroup.procs; exec hog pageout $fill $out $pat /tmp/ready" > /tmp/hog.out &
    pid=$!
    waitfile /tmp/ready 12000 || echo "ERROR case=$id msg=hog-not-ready"
    t1=$(hog now)
    sleep 1
    sed "s/^READY/ZREADY case=$id/" /tmp/hog.out
    echo "ZCASE case=$id zpool=$(cat /sys/module/zswap/parameters/zpool) compressor=$(cat /sys/module/zswap/parameters/compressor) zswap_enabled=$(cat /sys/module/zswap/parameters/enabled) fill_mib=$fill pageout_mib=$out pattern=$pat zswap_max=$(cgv $cg/memory.zswap.max) memory_max=$(cgv $cg/memory.max) swap_max=$(cgv $cg/memory.swap.max) memory_current=$(cgv $cg/memory.current) memory_peak=$(cgv $cg/memory.peak) swap_current=$(cgv $cg/memory.swap.current) swap_peak=$(cgv $cg/memory.swap.peak) zswap_current=$(cgv $cg/memory.zswap.current) zswap_writeback=$(cgv $cg/memory.zswap.writeback) meminfo_zswap_kb=$(meminfo_kb Zswap) meminfo_zswapped_kb=$(meminfo_kb Zswapped) swapfree_kb=$(meminfo_kb SwapFree) swaptotal_kb=$(meminfo_kb SwapTotal) swapcached_kb=$(meminfo_kb SwapCached) setup_ns=$((t1 - t0))"
    echo "ZSTAT case=$id $(kv $cg/memory.stat)"
    echo "ZEVT case=$id $(kv $cg/memory.events)"
    echo "ZSWEVT case=$id $(kv $cg/memory.swap.events)"
    echo "ZDBG case=$id $(zdbg)"
    hog snap diff /tmp/snap0 "case=$id"
    # pages written to the disk stay in the swap cache (charged) until reclaimed: reclaim that
    # much from the group and read the counters again
    sc=$(meminfo_kb SwapCached)
    if [ "$sc" -gt 0 ]; then
      echo $((sc * 1024)) > $cg/memory.reclaim 2>/dev/null
      sleep 1
      echo "ZRECL case=$id reclaim_request_kb=$sc swapcached_kb=$(meminfo_kb SwapCached) memory_current=$(cgv $cg/memory.current) swap_current=$(cgv $cg/memory.swap.current) zswap_current=$(cgv $cg/memory.zswap.current) vmswap_kb=$(stat_kb VmSwap $pid) vmrss_kb=$(stat_kb VmRSS $pid)"
    fi
    kill $pid; wait $pid 2>/dev/null
    rmdir $cg
  }

  # id        zpool    comp enabled fill pageout pattern zswap.max memory.max
  zcase zbud_lzo      zbud     lzo 1 96 64 30   max max
  zcase zsm_lzo       zsmalloc lzo 1 96 64 30   max max
  zcase zbud_lz4      zbud     lz4 1 96 64 30   max max
  zcase zsm_lz4       zsmalloc lz4 1 96 64 30   max max
  zcase zsm_lzo_r0    zsmalloc lzo 1 96 64 0    max max
  zcase zsm_lzo_r60   zsmalloc lzo 1 96 64 60   max max
  zcase zbud_lzo_r60  zbud     lzo 1 96 64 60   max max
  zcase zsm_lzo_r100  zsmalloc lzo 1 96 64 100  max max
  zcase zsm_lzo_zero  zsmalloc lzo 1 96 64 zero max max
  zcase zsm_lzo_same  zsmalloc lzo 1 96 64 same max max
  zcase zbud_lzo_zero zbud     lzo 1 96 64 zero max max
  zcase zsm_zmax0     zsmalloc lzo 1 96 64 30   0   max
  zcase zsm_zmax8m    zsmalloc lzo 1 96 64 30   8M  max
  zcase noz_disk      zsmalloc lzo 0 96 64 30   max max
  zcase noz_disk_zero zsmalloc lzo 0 96 64 zero max max
  zcase press_zsm     zsmalloc lzo 1 128 0 30   max 64M
  zcase press_zmax8m  zsmalloc lzo 1 128 0 30   8M  64M
  zcase press_noz     zsmalloc lzo 0 128 0 30   max 64M

  hog swapoff $work | sed 's/^/ZSWAPOFF /'
fi
