# zram: cost of setting disksize (zram's own table), then of swapon on top of it (SSD path).
sizes=$(param zram_sizes 1,4,16,64)
reps=$(param zram_reps 2)
memcg=$(memcg_state)
if [ ! -e /sys/block/zram0 ]; then
  echo "ERROR scenario=zram msg=no-zram0"
else
  for s in $(csv $sizes); do
    for r in $(seq 1 $reps); do
      echo 1 > /sys/block/zram0/reset
      settle
      hog cost "scenario=zram step=disksize size_gib=$s memcg=$memcg rep=$r" write /sys/block/zram0/disksize ${s}G
      echo "ZRAMINFO size_gib=$s rep=$r comp=$(sed 's/.*\[\([^]]*\)\].*/\1/' /sys/block/zram0/comp_algorithm) disksize=$(cat /sys/block/zram0/disksize) rot=$(cat /sys/block/zram0/queue/rotational)"
      mkswap /dev/zram0 > /dev/null
      settle
      hog cost "scenario=zram step=swapon size_gib=$s memcg=$memcg rep=$r dev=/dev/zram0" swapon /dev/zram0
    done
  done
  echo 1 > /sys/block/zram0/reset
fi
