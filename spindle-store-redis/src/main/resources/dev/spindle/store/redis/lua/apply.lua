-- Helper applying a write's changes: ARGV from `from` on is (op, ns, hash key, sizes key, field, value)...,
-- op p (put) or d (delete). Notes in `written` the hashes it created, which alone need the session's expiry:
-- a namespace new to the index, or one a delete of this write may have emptied. Answers whether it emptied
-- a namespace.
local function apply(from, written)
  local emptied = {}
  for i = from, #ARGV, 6 do
    local ns, key, sized, field = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
    if ARGV[i] == 'p' then
      redis.call('HSET', key, field, ARGV[i + 5])
      redis.call('HSET', sized, field, #ARGV[i + 5])
      if redis.call('SADD', KEYS[1], ns) == 1 or emptied[ns] then written[key], written[sized] = true, true end
    else
      redis.call('HDEL', key, field)
      redis.call('HDEL', sized, field)
      emptied[ns] = key
    end
  end
  local gone = false
  for ns, key in pairs(emptied) do
    if redis.call('EXISTS', key) == 0 then
      redis.call('SREM', KEYS[1], ns)
      gone = true
    end
  end
  return gone
end
