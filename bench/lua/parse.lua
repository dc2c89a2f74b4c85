-- parse Ethernet, IPv4 and UDP with the accessors, then drop
function callback(pkt)
	if #pkt < 42 or pkt:u16(12) ~= 0x0800 then return xdp.PASS end
	local ihl = (pkt:u8(14) & 0x0f) * 4
	if pkt:u8(23) ~= 17 then return xdp.PASS end
	local sport, dport = pkt:u16(14 + ihl), pkt:u16(16 + ihl)
	if dport == 53 and sport > 1023 then return xdp.DROP end
	return xdp.DROP
end
