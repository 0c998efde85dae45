# for, while, until, break, continue, nested loops and break 2 (echo -n,
# not printf: printf is echo-printf's subject).
for i in 1 2 3; do echo -n "$i "; done; echo
for w in "a b" c; do echo -n "[$w]"; done; echo
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; echo -n "$i "; done; echo
until [ $i -le 0 ]; do i=$((i - 2)); echo -n "$i "; done; echo
for a in 1 2 3; do
  for b in x y z; do
    [ $b = y ] && continue
    [ $a = 3 ] && break 2
    echo -n "$a$b "
  done
done; echo
n=0 sum=0
while :; do n=$((n + 1)); sum=$((sum + n)); [ $n -ge 100 ] && break; done
echo "sum 1..100 = $sum"
set -- p q r
for arg; do echo -n "<$arg>"; done; echo
for e in; do echo never; done; echo "empty list ok"
k=0 h=7
while [ $k -lt 10000 ]; do k=$((k + 1)); h=$(( (h * 31 + k) % 1000003 )); done
echo "10000 iterations, hash $h"
