-- A write's commit. KEYS: index, version, sessions. ARGV: session, expected version ('*' when the write read
-- nothing), then apply()'s changes. Answers 1, or 0 (nothing changed) when the version moved.
if ARGV[2] ~= '*' and (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return 0 end
local written = {}
changed(written, apply(3, written))
return 1
