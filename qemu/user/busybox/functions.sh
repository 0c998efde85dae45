# Functions: arguments, $#, $@, return status, local, recursion, shift.
greet() { echo "hello $1 ($# args)"; }
greet world
greet "two words" extra
count() { echo $#; }
count; count a; count "a b" c "" 
ret() { return $1; }
ret 0; echo "status $?"
ret 7; echo "status $?"
ret 255; echo "status $?"

fib() { local n=$1; if [ $n -lt 2 ]; then FIB=$n; return; fi; fib $((n - 1)); local a=$FIB; fib $((n - 2)); FIB=$((a + FIB)); }
fib 15; echo "fib 15 = $FIB"
v=global
scope() { local v=inner; echo "in $v"; }
scope; echo "out $v"
shifter() { echo "$1"; shift; echo "$1 $#"; shift 2; echo "$# left"; }
shifter a b c d
all() { for x in "$@"; do echo -n "{$x}"; done; echo; }
all "1 2" 3 ""
nested() { inner() { echo "inner defined"; }; inner; }
nested; inner
