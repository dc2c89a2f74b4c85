#!/bin/bash
# The first XDPLua demo (run it in the test VM: tests/vm/run -- examples/udp-demo.sh): a Lua script in
# the kernel's XDP hook decides the fate of real packets.
#
#   netns client (10.77.0.1) a0 <--- veth ---> b0 (10.77.0.2) netns server
#                                               ^ XDP: examples/udp-drop.lua
set -eu
cd "$(dirname "$0")/.."
XDPLUA=$PWD/build/bin/xdplua

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
udp() { python3 tests/udp.py --ns-send client --ns-recv server --dst 10.77.0.2 --count "$1"; }

ip netns add client
ip netns add server
ip link add a0 netns client type veth peer name b0 netns server
ip -n client addr add 10.77.0.1/24 dev a0
ip -n server addr add 10.77.0.2/24 dev b0
ip -n client link set a0 up
ip -n server link set b0 up

say "Kernel $(uname -r), $(nproc) CPUs, module: $(lsmod | awk '$1 == "xdplua" {print $1, $2 " bytes"}')"

say "The script: examples/udp-drop.lua"
grep -v '^--' examples/udp-drop.lua | sed '/^$/d'

say "xdplua -L examples/udp-drop.lua b0"
ip netns exec server "$XDPLUA" -L examples/udp-drop.lua b0
ip -n server link show b0 | grep -o 'prog/xdp id [0-9]*' | sed 's/^/attached: /'

say "ping passes through Lua"
ip netns exec client ping -c 3 -i 0.2 10.77.0.2 | grep -E 'bytes from|packet loss'

say "20 UDP datagrams from the client: Lua drops them"
echo "received by the server: $(udp 20) of 20"

say "xdplua status"
"$XDPLUA" status

say "xdplua -F pass_all b0   (switch the entry function, no reload)"
ip netns exec server "$XDPLUA" -F pass_all b0
echo "UDP received: $(udp 20) of 20"

say "xdplua -F callback b0"
ip netns exec server "$XDPLUA" -F callback b0
echo "UDP received: $(udp 20) of 20"

say "A broken script is refused with Lua's message, nothing attached"
printf 'function callback(pkt)\n  return xdp.DROP +\nend\n' > /tmp/broken.lua
ip netns exec server "$XDPLUA" -L /tmp/broken.lua b0 || true

say "An endless loop is stopped by the instruction budget; the kernel goes on"
printf 'function callback(pkt)\n  while true do end\nend\n' > /tmp/spin.lua
ip netns exec server "$XDPLUA" -d b0
ip netns exec server "$XDPLUA" -L /tmp/spin.lua b0
ip netns exec client ping -c 2 -i 0.2 10.77.0.2 | grep -E 'packet loss'
"$XDPLUA" status spin | grep -E 'runs|insn_limit|error' || true

say "xdplua -d b0"
ip netns exec server "$XDPLUA" -d b0
echo "UDP received: $(udp 20) of 20"
"$XDPLUA" status
