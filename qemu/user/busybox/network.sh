# network: BusyBox's nc and netstat over the loopback interface — a listener
# in the background, netstat -tln seeing it LISTEN, a client sending a line,
# the server writing it out; then nc -e serving a command to a client (the
# server side runs a program with the connection as its stdin and stdout).
# The port is picked from the pid so parallel native runs do not collide; it
# is never printed.
port=$(( 20000 + $$ % 10000 ))
# Waits up to 5 s until something listens on TCP port $1; the status says whether it did.
wait_listen() {
  i=0
  while [ $i -lt 250 ]; do
    busybox netstat -tln 2>/dev/null | grep -q ":$1 " && return 0
    i=$((i + 1))
    busybox usleep 20000
  done
  return 1
}
busybox nc -l -p $port > /tmp/nc-out.$$ &
server=$!
wait_listen $port && echo "listening: yes" || echo "listening: no"
echo "hello over tcp" | busybox nc 127.0.0.1 $port
echo "client status $?"
wait $server
echo "server status $?"
cat /tmp/nc-out.$$
rm -f /tmp/nc-out.$$
port=$((port + 1))
busybox nc -l -p $port -e busybox echo "served by nc -e" &
server=$!
wait_listen $port
busybox nc 127.0.0.1 $port < /dev/null
wait $server
echo "server status $?"
# httpd serving a directory, wget fetching from it.
www=/tmp/www.$$
mkdir -p $www
echo "a file served over http" > $www/file.txt
port=$((port + 1))
busybox httpd -f -p 127.0.0.1:$port -h $www &
httpd=$!
wait_listen $port
busybox wget -q -O - http://127.0.0.1:$port/file.txt
echo "wget status $?"
busybox wget -q -O - http://127.0.0.1:$port/missing.txt 2>&1
echo "wget of a missing file: status $?"
kill $httpd
wait $httpd 2>/dev/null
rm -rf $www
# ifconfig's view of lo (netdevice ioctls and /proc/net/dev; the counters vary, so not printed).
busybox ifconfig lo | grep -E "Link encap|inet addr|UP" | tr -s ' '
# ip over rtnetlink: lo's link and IPv4 address, the local table's routes for lo.
busybox ip link show lo
busybox ip -4 addr show dev lo
busybox ip route show table local | grep " dev lo "
# ping over a raw ICMP socket (the kernel answers the echo requests; times vary, so masked).
busybox ping -c 2 127.0.0.1 | sed -E 's/time=[0-9.]+ ms/time=T ms/; s#= [0-9.]+/[0-9.]+/[0-9.]+ ms#= T ms#'
