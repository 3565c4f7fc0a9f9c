-- A bounded log's append (KEYS and ARGV as log.lua's). Answers the entry's sequence number, 0 when the
-- owner field is missing.
local stored = owner()
if not stored[1] then return 0 end
local written = {}
local seq = append(stored, written)
changed(written, false)
return seq
