# PID namespaces the way container tools make them: BusyBox unshare -p -f
# --mount-proc runs a shell as pid 1 of a new namespace with its own /proc,
# where ps sees only the namespace and children are numbered from 2; nsenter
# joins a running one from outside through the unsharer's pid_for_children
# link; the namespace ends with its init.
b=busybox
d=/tmp/kevlar-bb-pidns
$b unshare -p -f -m --mount-proc $b sh -c "echo \"pid \$\$ ppid \$PPID\"; $b sh -c 'echo child \$\$'; $b ps -o pid,comm; $b readlink /proc/self"
echo "outside: status $?"
$b mkfifo $d.ready $d.done
$b unshare -p -f -m --mount-proc $b sh -c "echo > $d.ready; read _ < $d.done" &
holder=$!
read _ < $d.ready
$b nsenter -m/proc/$holder/ns/mnt -p/proc/$holder/ns/pid_for_children $b sh -c "echo \"joined as \$\$ ppid \$PPID\"; $b ps -o pid,comm"
[ "$($b readlink /proc/$holder/ns/pid_for_children)" != "$($b readlink /proc/self/ns/pid)" ] && echo pid-ns-differs
echo > $d.done; wait $holder; echo "holder status $?"
$b rm -f $d.ready $d.done
