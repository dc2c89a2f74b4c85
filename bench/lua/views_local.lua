-- header views with the layouts bound at load
local ethernet, ipv4, udp = xdp.ethernet, xdp.ipv4, xdp.udp   -- not per packet
function callback(pkt)
	local eth = pkt:view(ethernet, 0)
	if eth.type ~= 0x0800 then return xdp.PASS end
	local ip = pkt:view(ipv4, 14)
	if ip.proto ~= 17 then return xdp.PASS end
	local u = pkt:view(udp, 14 + ip.ihl * 4)
	if u.dport == 53 then return xdp.DROP end
	return xdp.DROP
end
