# test's file operators on files that exist both natively and on the kernel
# (/, /bin/busybox): stat(2) and access(2).
t() { if "$@"; then echo "yes: $*"; else echo "no: $*"; fi; }
t [ -d / ]
t [ -e /bin/busybox ]
t [ -f /bin/busybox ]
t [ -x /bin/busybox ]
t [ -d /bin/busybox ]
t [ -e /nonexistent-kevlar ]
t [ -s /bin/busybox ]
command -v no-such-command-kevlar || echo "not found $?"
