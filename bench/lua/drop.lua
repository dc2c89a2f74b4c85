-- the trivial callback: a verdict and nothing else
function callback(pkt) return xdp.DROP end
