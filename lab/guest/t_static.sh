# Static cost of swapon: one sparse swap image per size, HDD (rotational=1) and SSD
# (rotational=0) paths, lab.reps repetitions; the measuring is done in-process by `hog cost`.
sizes=$(param sizes 1,4,16,64,256,1024)
reps=$(param reps 3)
kinds=$(param kinds hdd,ssd)
memcg=$(memcg_state)
quiet=$(param quiet 0)
if [ "$quiet" = 1 ]; then echo 0 > /proc/sys/vm/compaction_proactiveness; fi
# the noise floor: the same measurement around no operation at all
for r in $(seq 1 $(param noise_reps 5)); do
  settle
  hog cost "scenario=static_noise memcg=$memcg rep=$r" none -
done
for s in $(csv $sizes); do
  dev=$(devbyserial s$s) || { echo "ERROR scenario=static size_gib=$s msg=no-disk-with-serial-s$s"; continue; }
  for k in $(csv $kinds); do
    if [ $k = ssd ]; then setrot $dev 0; else setrot $dev 1; fi
    for r in $(seq 1 $reps); do
      settle
      hog cost "scenario=static size_gib=$s kind=$k rot=$(getrot $dev) memcg=$memcg rep=$r dev=$dev" swapon $dev
    done
  done
done
