-- Helper emptying a session (KEYS: index, version, sessions; ARGV: session, prefix): deletes its hashes and
-- index, unlists it and bumps its version. Answers (namespace, count)...
local function clear()
  local counts = {}
  for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local key = ARGV[2] .. hex(ns)
    table.insert(counts, ns)
    table.insert(counts, redis.call('HLEN', key))
    redis.call('DEL', key, sizes(ARGV[2], ns))
  end
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('INCR', KEYS[2])
  return counts
end
