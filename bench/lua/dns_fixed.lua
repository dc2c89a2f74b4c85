-- the floor of the DNS benchmarks: answer any query to port 53 with one A
-- record (10.53.9.1, TTL 300), parsing nothing (bench/dns.sh, bench/native)
function callback(pkt)
	if #pkt < 62 or pkt:u16(12) ~= 0x0800 or pkt:u16(36) ~= 53 then return end
	local q = pkt:bytes(42)
	return pkt:udp_reply(q:sub(1, 2) .. "\x81\x80\0\1\0\1\0\0\0\0" .. q:sub(13)
		.. "\xc0\x0c\0\1\0\1\0\0\1\x2c\0\4\x0a\x35\x09\x01")
end
