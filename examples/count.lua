-- count.lua: count packets and bytes on each CPU, pass them all.
--
-- Every CPU runs its own Lua state, so `packets` and `bytes` below are
-- per-CPU globals: they persist from packet to packet and no CPU ever waits
-- for another. Every EVERY packets a CPU logs its totals to the kernel log
-- (dmesg), e.g. "xdplua: cpu 1: 1000 packets, 98000 bytes".
--
--   xdplua -L examples/count.lua eth0

EVERY = 1000

local packets, bytes = 0, 0

function callback(pkt)
	packets = packets + 1
	bytes = bytes + #pkt
	if packets % EVERY == 0 then
		print(("cpu %d: %d packets, %d bytes"):format(xdp.cpu(), packets, bytes))
	end
end
