-- the same with header views
function callback(pkt)
	local eth = pkt:view(xdp.ethernet, 0)
	if eth.type ~= 0x0800 then return xdp.PASS end
	local ip = pkt:view(xdp.ipv4, 14)
	if ip.proto ~= 17 then return xdp.PASS end
	local udp = pkt:view(xdp.udp, 14 + ip.ihl * 4)
	if udp.dport == 53 then return xdp.DROP end
	return xdp.DROP
end
