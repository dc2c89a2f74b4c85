-- answer every datagram in place
function callback(pkt) return pkt:udp_reply("pong") end
