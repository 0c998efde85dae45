# Redirections with builtins only: >, >>, < with read, 2>&1, a file in /tmp.
# Leaves /tmp/kevlar-bb-redirect behind (removing it needs rm: an exec).
f=/tmp/kevlar-bb-redirect
echo first > $f
echo second >> $f
{ read a; read b; } < $f
echo "$a / $b"
printf 'x\n' > $f; read c < $f; echo "$c"
echo to-stderr 1>&2
echo err-to-out 2>&1
: > $f; read d < $f || echo "empty read status $?"
