-- KEYS: index, version. ARGV: prefix, milliseconds. Sets the session's keys to expire together.
for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('PEXPIRE', ARGV[1] .. hex(ns), ARGV[2])
  redis.call('PEXPIRE', sizes(ARGV[1], ns), ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
