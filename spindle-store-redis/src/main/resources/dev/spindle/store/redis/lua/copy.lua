-- A session's copy over another. KEYS: target index, target version, sessions, source index. ARGV: target,
-- target prefix, source prefix. COPY takes the source's expiry along: the copy's keys are made persistent,
-- its owner sets its own (a snapshot has none, a fork its session's).
clear()
for _, ns in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if redis.call('COPY', ARGV[3] .. hex(ns), ARGV[2] .. hex(ns)) == 1 then
    redis.call('PERSIST', ARGV[2] .. hex(ns))
    redis.call('COPY', sizes(ARGV[3], ns), sizes(ARGV[2], ns))
    redis.call('PERSIST', sizes(ARGV[2], ns))
    redis.call('SADD', KEYS[1], ns)
  end
end
if redis.call('SCARD', KEYS[1]) > 0 then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
