# BusyBox applets on files, pipes and text, each run as its own process
# (busybox APPLET) in a scratch directory under /tmp: what the VFS, pipes
# and exec give them must match Linux byte for byte.
b=busybox
d=/tmp/kevlar-bb-applets
$b rm -rf $d
$b mkdir -p $d/sub/deeper && cd $d || exit 9
printf 'pear\napple\nfig\napple\nbanana\n' > fruit
$b cat fruit | $b sort | $b uniq -c
$b sort -r fruit | $b head -n 2
$b tail -n 2 fruit
$b wc -l fruit; $b wc -c < fruit
$b grep -n an fruit; $b grep -c apple fruit; $b egrep 'fig|pear' fruit
$b sed 's/apple/APPLE/; 3d' fruit
$b awk '{ n += length($0) } END { print NR, n }' fruit
$b tr a-z A-Z < fruit | $b cut -c1-3 | $b paste -s -d, -
$b seq 1 10 | $b xargs -n 3 echo
$b cp fruit sub/copy && $b mv sub/copy sub/deeper/moved && $b ls sub/deeper
$b ln fruit hard && $b ln -s fruit soft && $b readlink soft && $b stat -c '%h %s %F' fruit hard
$b stat -c '%F %N' soft
$b touch -d '2001-02-03 04:05:06' fruit && $b date -r fruit -u '+%Y-%m-%d %H:%M:%S'
$b chmod 640 fruit && $b stat -c '%a %A' fruit
$b find . -type f | $b sort
$b find . -name 'm*' -o -name 'so*' | $b sort
$b du -s sub > /dev/null && echo du-ok
$b md5sum fruit; $b sha256sum fruit; $b sha1sum fruit
$b tar cf archive.tar fruit sub && $b rm -r sub && $b tar xf archive.tar && $b ls sub/deeper
$b gzip -c fruit > fruit.gz && $b gunzip -c fruit.gz | $b cmp - fruit && echo gzip-ok
$b bzip2 -c fruit > fruit.bz2 && $b bunzip2 -c fruit.bz2 | $b cmp - fruit && echo bzip2-ok
$b od -c fruit | $b head -n 2
$b hexdump -C fruit | $b head -n 1
$b printf 'abc' | $b xxd
$b nl fruit | $b tail -n 1
$b fold -w 3 fruit | $b head -n 2
$b dd if=fruit of=part bs=4 count=2 2>/dev/null && $b cat part && echo
$b diff fruit fruit && echo same
printf 'pear\n' > other; $b diff fruit other > /dev/null; echo "diff status $?"
$b cmp fruit other > /dev/null 2>&1; echo "cmp status $?"
$b basename /a/b/c.txt .txt; $b dirname /a/b/c.txt; $b realpath sub/../fruit | $b sed "s|$d|D|"
echo "expr $($b expr 6 \* 7) test $($b test -f fruit && echo yes)"
$b mkfifo pipe && $b stat -c %F pipe
$b rmdir sub/deeper sub 2>/dev/null || echo rmdir-nonempty
$b rm -rf sub && $b rmdir sub 2>/dev/null || echo rmdir-gone
$b tee copy1 copy2 < fruit > /dev/null && $b cat copy1 copy2 | $b wc -l
$b shuf -i 1-5 | $b sort -n | $b tr '\n' ' '; echo
$b timeout 5 $b true; echo "timeout status $?"
$b env -i A=1 $b env
$b id -u; $b uname -s
cd / && $b rm -rf $d && echo cleaned
