-- Helpers of a bounded log's append (KEYS: index, version, sessions, log hash, counters hash, and their
-- sizes hashes; ARGV: session, log namespace, counters namespace, counters field, limit, max bytes, entry,
-- owner field): owner() reads the owner field and the counters, append() appends the entry given them,
-- noting the keys it wrote in `written`, and answers its sequence number.
local function owner() return redis.call('HMGET', KEYS[5], ARGV[8], ARGV[4]) end
local function append(stored, written)
  local nxt, first, bytes, dropped = 1, 1, 0, 0
  if stored[2] then
    local a, b, c, d = string.match(stored[2], '^(%d+) (%d+) (%d+) (%d+)$')
    nxt, first, bytes, dropped = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  end
  local limit, max, entry, seq = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], nxt
  if limit == 0 then
    first, bytes, dropped = seq + 1, 0, dropped + 1
  else
    if first == seq then -- it kept nothing: its hash is new
      written[KEYS[4]], written[KEYS[6]] = true, true
      redis.call('SADD', KEYS[1], ARGV[2])
    end
    while first < seq and (seq - first >= limit or bytes + #entry > max) do
      local oldest = string.format('%019d', first)
      local size = redis.call('HSTRLEN', KEYS[4], oldest)
      if size > 0 then
        bytes = bytes - size
        redis.call('HDEL', KEYS[4], oldest)
        redis.call('HDEL', KEYS[6], oldest)
      end
      first, dropped = first + 1, dropped + 1
    end
    redis.call('HSET', KEYS[4], string.format('%019d', seq), entry)
    redis.call('HSET', KEYS[6], string.format('%019d', seq), #entry)
    bytes = bytes + #entry
  end
  local counters = string.format('%d %d %d %d', seq + 1, first, bytes, dropped)
  redis.call('HSET', KEYS[5], ARGV[4], counters)
  redis.call('HSET', KEYS[7], ARGV[4], #counters)
  if not stored[2] then redis.call('SADD', KEYS[1], ARGV[3]) end
  return seq
end
