# cgroup v2 from BusyBox's shell: cgroup.events read line by line with
# `while read`, a move with `echo $$ > cgroup.procs`, /proc/self/cgroup from a
# child (grep), rmdir. $1 is a cgroup2 mount to use (natively); without it the
# script mounts cgroup2 at /sys/fs/cgroup (the kernel).
d=$1
if [ -z "$d" ]; then d=/sys/fs/cgroup; mount -t cgroup2 none $d || echo "mount failed"; fi
t=$d/kevlar-sh-test
mkdir $t || echo "mkdir failed"
while read l; do echo "events: $l"; done < $t/cgroup.events
home=$(while read l; do case $l in 0::*) echo ${l#0::};; esac; done < /proc/self/cgroup)
echo $$ > $t/cgroup.procs || echo "move failed"
while read k v; do echo "$k=$v"; done < $t/cgroup.events
grep "^0::" /proc/self/cgroup
echo "procs: $(while read p; do [ "$p" = $$ ] && echo self; done < $t/cgroup.procs)"
echo $$ > $d$home/cgroup.procs || echo "move back failed"
read p < $t/cgroup.events; echo "$p"
rmdir $t && echo removed
