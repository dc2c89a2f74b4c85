-- udp-drop.lua: drop UDP (over IPv4 or IPv6), pass everything else.
--
--   xdplua -L examples/udp-drop.lua eth0     load and attach
--   xdplua -F pass_all eth0                  switch to passing everything
--   xdplua -F callback eth0                  and back
--   xdplua -d eth0                           detach

local ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
local IPPROTO_UDP = 17

function callback(pkt)
	local len = #pkt
	if len < 14 then
		return xdp.PASS
	end
	local ethertype = pkt:u16(12)
	if ethertype == ETH_P_IP and len >= 34 and pkt:u8(23) == IPPROTO_UDP then
		return xdp.DROP
	elseif ethertype == ETH_P_IPV6 and len >= 54 and pkt:u8(20) == IPPROTO_UDP then
		return xdp.DROP
	end
	return xdp.PASS
end

function pass_all(pkt)
	return xdp.PASS
end
