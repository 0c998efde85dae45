# Exit statuses: true/false, !, && and ||, if/elif/else, $? after each.
true; echo "true $?"
false; echo "false $?"
! true; echo "not true $?"
! false; echo "not false $?"
true && echo "and ran"
false && echo "and skipped"; echo "after and $?"
false || echo "or ran"
true || echo "or skipped"; echo "after or $?"
if false; then echo one; elif true; then echo two; else echo three; fi
if false; then echo a; fi; echo "if-none $?"
f() { false; }
f; echo "function status $?"
g() { true; return; }
g; echo "bare return $?"
:; echo "colon $?"
false; x=1; echo "assignment $?"
{ false; true; }; echo "group $?"
[ 1 = 2 ] || [ 2 = 2 ] && echo "chain ok"
