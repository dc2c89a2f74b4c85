-- a shared-table counter, then drop
local t = xdp.table("bench")
function callback(pkt) t:add("n", 1) return xdp.DROP end
