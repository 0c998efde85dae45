# Parameter expansion: lengths, prefix/suffix removal, defaults, substrings,
# replacement, unset, positional parameters and field splitting.
x=hello.world.tar.gz
echo ${#x} ${x%.*} ${x%%.*} ${x#*.} ${x##*.}
e=
echo "[${e:-default}] [${e-unset-only}] [${u-unset}] [${x:+set}] [${e:+set}]"
echo "${z:=assigned} $z"
echo ${x:6:5} ${x:6} ${x: -2}
echo ${x/o/0} ${x//o/0} ${x/#hello/HI} ${x/%gz/bz2}
unset x; echo "[${x}] [${x-gone}]"
s="  a  b   c  "
set -- $s; echo "$# fields: $1,$2,$3"
IFS=:; p="one:two::four"; set -- $p; echo "$# fields"; IFS=' 	
'
set -- a b c; echo "$* | $@ | $#"
IFS=,; echo "$*"; IFS=' 	
'
long=abcdefghijklmnopqrstuvwxyz0123456789
echo ${#long} ${long#abc} ${long%789}
n=12345; echo $(( ${#n} * 2 ))
rev=""; w=kevlar; while [ -n "$w" ]; do rest=${w#?}; rev=${w%"$rest"}$rev; w=$rest; done; echo "$rev"
readonly_ok=1; echo ${readonly_ok}
a=1; a=$a$a$a; echo $a
