-- wrk script of releng/benchmarks/rendezvous.sh. The environment chooses the requests:
--   BENCH_MODE=get              the URL's GET, unchanged (a static request: no Lua per request)
--   BENCH_MODE=legacy-register  POST /register, re-registering ids bench-0 .. bench-(BENCH_PEERS-1)
--   BENCH_MODE=legacy-signal    POST /signal to those ids in turn
--   BENCH_MODE=pool             pre-made requests (signed or under a session) from BENCH_POOL.<thread>, each sent once;
--                               a thread that runs out stops (reported as exhausted=)
-- done() prints one line for the driver:
--   RESULT requests= duration_us= p50_us= p99_us= non2xx= socket_errors= bytes= exhausted=

local mode = os.getenv("BENCH_MODE") or "get"
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

if mode ~= "get" then
  local peers = tonumber(os.getenv("BENCH_PEERS") or "100000")
  local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")
  local json = { ["Content-Type"] = "application/json" }
  local candidate = '{\\"candidate\\":\\"candidate:842163049 1 udp 1677729535 192.0.2.10 46154 typ srflx'
    .. ' raddr 0.0.0.0 rport 0 generation 0 ufrag abcd network-cost 999\\",\\"sdpMid\\":\\"0\\",'
    .. '\\"sdpMLineIndex\\":0}'
  local pool, next_request, sequence

  function init(args)
    sequence = thread_index
    if mode == "pool" then
      pool = {}
      for line in io.lines(os.getenv("BENCH_POOL") .. "." .. thread_index) do
        local method, path, authorization, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t(.*)$")
        local headers = { Authorization = authorization }
        if body == "" then
          body = nil
        else
          headers["Content-Type"] = "application/json"
        end
        pool[#pool + 1] = wrk.format(method, path, headers, body)
      end
      next_request = 1
    end
  end

  function request()
    if mode == "pool" then
      local r = pool[next_request]
      if r == nil then
        exhausted = 1
        wrk.thread:stop()
        return pool[#pool]
      end
      next_request = next_request + 1
      return r
    end
    sequence = sequence + thread_count
    local id = "bench-" .. (sequence % peers)
    if mode == "legacy-register" then
      return wrk.format("POST", "/register", json, '{"peerId":"' .. id .. '","name":"peer ' .. id .. '"}')
    end
    return wrk.format("POST", "/signal", json, '{"from":"bench-sender","to":"' .. id
      .. '","type":"ice-candidate","payload":"' .. candidate .. '"}')
  end
end

function done(summary, latency, requests)
  local exhausted = 0
  for _, thread in ipairs(threads) do
    exhausted = exhausted + (thread:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d"
    .. " bytes=%d exhausted=%d\n", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout, summary.bytes, exhausted))
end
