-- wrk script for bench/scale-out.sh: the call of read_file.lua or write_file.lua (BENCH_ROUTE, a path),
-- rotated over the sessions bench-0 ... bench-(BENCH_SESSIONS - 1), each wrk thread on its own instance:
-- thread 1 talks to the first port of BENCH_PORTS, thread 2 to the second, and so on round.
dofile(os.getenv("BENCH_ROUTE"))

local ports = {}
for port in os.getenv("BENCH_PORTS"):gmatch("%d+") do ports[#ports + 1] = port end
local threads = 0

function setup(thread)
  threads = threads + 1
  thread.addr = wrk.lookup("127.0.0.1", ports[(threads - 1) % #ports + 1])[1]
end

-- formatted once per session, so that a call costs wrk no more than a static request
local requests = {}
local n = 0

function init(args)
  for i = 1, tonumber(os.getenv("BENCH_SESSIONS")) do
    local body = wrk.body:gsub('"session_id":"bench"', '"session_id":"bench-' .. (i - 1) .. '"')
    requests[i] = wrk.format(nil, nil, nil, body)
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
