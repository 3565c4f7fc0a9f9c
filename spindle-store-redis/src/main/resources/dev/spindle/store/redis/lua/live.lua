-- KEYS: sessions. Answers the sessions listed whose index still exists, and unlists those Redis expired.
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', 'spindle:{' .. hex(id) .. '}') == 1 then table.insert(live, id) else redis.call('SREM', KEYS[1], id) end
end
return live
