-- A quick call's commit: its changes and its trace entry in one step. KEYS and ARGV as append.lua's, then
-- ARGV: expected version, apply()'s changes. Answers the entry's sequence number, 0 when the owner field is
-- missing, -1 when the version moved.
local stored = owner()
if not stored[1] then return 0 end
if ARGV[9] ~= '*' and (redis.call('GET', KEYS[2]) or '') ~= ARGV[9] then return -1 end
local written = {}
local gone = apply(10, written)
local seq = append(stored, written)
changed(written, gone)
return seq
