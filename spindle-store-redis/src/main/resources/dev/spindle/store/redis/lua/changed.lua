-- Helper of the scripts that change a session (KEYS: index, version, sessions; ARGV[1]: session): lists the
-- session, or unlists it when it emptied its last namespace, bumps its version, and gives the keys it wrote
-- the time the index has left to live. Each redis.call costs about a microsecond, hence the short cuts: a new
-- version key is the only one INCR can make.
local function changed(written, emptied)
  if emptied and redis.call('SCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) else redis.call('SADD', KEYS[3], ARGV[1]) end
  if redis.call('INCR', KEYS[2]) == 1 then written[KEYS[2]] = true end
  if next(written) == nil then return end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then
    for key in pairs(written) do redis.call('PEXPIRE', key, ttl) end
  end
end
