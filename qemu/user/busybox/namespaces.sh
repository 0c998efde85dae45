# Namespaces the way container tools use them, with BusyBox's own unshare and
# nsenter: a shell in new mount and UTS namespaces mounts a tmpfs and names
# itself, and neither shows outside; nsenter joins a running process's mount
# and UTS namespaces through /proc/PID/ns and sees its mount; mountinfo
# and /proc/PID/mounts differ inside and out.
b=busybox
d=/tmp/kevlar-bb-ns
$b mkdir -p $d || exit 9
$b hostname > $d.host
$b unshare -m -u $b sh -c "$b hostname inner && $b hostname; $b mount -t tmpfs kevlar-ns $d && echo made > $d/f && $b cat $d/f; $b grep -c ' $d ' /proc/self/mountinfo"
echo "outside: $($b ls $d | $b wc -l) names, host $($b hostname | $b cmp - $d.host && echo same)"
$b grep -c " $d " /proc/self/mounts
$b mkfifo $d.ready $d.done
$b unshare -m -u $b sh -c "$b hostname held; $b mount -t tmpfs kevlar-held $d && echo inside > $d/g; echo > $d.ready; read _ < $d.done" &
holder=$!
read _ < $d.ready
$b nsenter -t $holder -m -u $b sh -c "$b cat $d/g; $b hostname"
$b nsenter -t $holder -m $b grep -c " $d " /proc/self/mountinfo
$b readlink /proc/$holder/ns/mnt | $b cut -c1-5
[ "$($b readlink /proc/$holder/ns/mnt)" != "$($b readlink /proc/self/ns/mnt)" ] && echo mnt-differs
echo > $d.done; wait $holder; echo "holder status $?"
echo "after: $($b ls $d | $b wc -l) names"
$b rm -rf $d $d.host $d.ready $d.done
