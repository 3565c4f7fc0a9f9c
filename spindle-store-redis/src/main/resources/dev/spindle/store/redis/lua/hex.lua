-- Helpers: a namespace's hash key and the key of its sizes, from the session's prefix (docs/redis.md "Keys").
local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end
local function sizes(prefix, ns) return prefix .. 's' .. hex(ns) end
