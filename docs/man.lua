-- A pandoc filter that turns a page of docs/ into a man page (make man):
-- the first heading, "name(N) — what it is" or a plain title, becomes the
-- NAME section ("name - what it is", name and N from the metadata); the
-- other headings move up one level (sections in capitals); links to the other pages of docs/
-- become man page references.

local pages = {
	["xdplua.md"] = { "xdplua", "8" },
	["xdpluatables.md"] = { "xdpluatables", "8" },
	["lua-api.md"] = { "xdplua-lua", "7" },
	["tables.md"] = { "xdplua-tables", "7" },
}

local name

function Meta(meta)
	name = pandoc.utils.stringify(meta.name)
end

local function heading_text(h)
	local text = pandoc.utils.stringify(h.content)
	return text:match("^%S+%(%d%)%s+—%s+(.*)$") or text
end

function Link(link)
	local page = link.target:match("^([%w%-]+%.md)")
	local ref = page and pages[page]
	if not ref then
		return nil
	end
	return { pandoc.Strong(pandoc.Str(ref[1])), pandoc.Str("(" .. ref[2] .. ")") }
end

function Pandoc(doc)
	local blocks = {}
	for _, b in ipairs(doc.blocks) do
		if b.t == "Header" and b.level == 1 then
			table.insert(blocks, pandoc.Header(1, "NAME"))
			table.insert(blocks, pandoc.Para(pandoc.Str(name .. " - " .. heading_text(b))))
		else
			if b.t == "Header" then
				b.level = b.level - 1
				if b.level == 1 then	-- section names in capitals
					b.content = { pandoc.Str(pandoc.utils.stringify(b.content):upper()) }
				end
			end
			table.insert(blocks, b)
		end
	end
	return pandoc.Pandoc(blocks, doc.meta)
end

-- Tables fit an 80-column terminal: pandoc gives them 70 columns of text,
-- and the page's indent and the column gaps come on top.
local TABLE_SHARE = 0.85

function Table(t)
	local n = #t.colspecs
	local sum = 0
	for _, spec in ipairs(t.colspecs) do
		sum = sum + (tonumber(spec[2]) or 0)
	end
	for i, spec in ipairs(t.colspecs) do
		local w = tonumber(spec[2])
		t.colspecs[i] = { spec[1], (sum > 0 and w) and w / sum * TABLE_SHARE or TABLE_SHARE / n }
	end
	return t
end

return {
	{ Meta = Meta },
	{ Table = Table },
	{ Link = Link },
	{ Pandoc = Pandoc },
}
