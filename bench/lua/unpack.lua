-- the parse with pkt:unpack: one call per header, then drop
function callback(pkt)
	if #pkt < 42 then return xdp.PASS end
	local etype, vihl, proto = pkt:unpack("H B x8 B", 12)
	if etype ~= 0x0800 or proto ~= 17 then return xdp.PASS end
	local sport, dport = pkt:unpack("HH", 14 + (vihl & 0x0f) * 4)
	if dport == 53 and sport > 1023 then return xdp.DROP end
	return xdp.DROP
end
