-- wrk script for bench/serve.sh.
-- Usage: wrk ... -s wrk.lua http://127.0.0.1:PORT -- PATHS_FILE LABEL
-- PATHS_FILE has one request path (with query string) per line; each thread
-- walks the list from its own starting point, so consecutive requests differ.
-- done() prints one machine-readable line:
--   RESULT label requests seconds rps p50_ms p99_ms max_ms socket_errors non2xx mean_body_bytes
paths, label = {}, "run"
local threads = {}
idx, n2xx, nother, body_bytes, nresp = 0, 0, 0, 0, 0  -- globals: read by done() via thread:get

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or error("wrk.lua: PATHS_FILE argument missing")
  label = args[2] or label
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("wrk.lua: no paths in " .. file) end
  idx = (tid or 0) * 7919 % #paths
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end

function response(status, headers, body)
  nresp = nresp + 1
  if status >= 200 and status < 300 then n2xx = n2xx + 1 else nother = nother + 1 end
  body_bytes = body_bytes + #body
end

function done(summary, latency, requests)
  local non2xx, bytes, resp = 0, 0, 0
  for _, t in ipairs(threads) do
    non2xx = non2xx + t:get("nother")
    bytes = bytes + t:get("body_bytes")
    resp = resp + t:get("nresp")
  end
  label = threads[1] and threads[1]:get("label") or label
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT %s %d %.2f %.2f %.2f %.2f %.2f %d %d %.0f\n",
    label, summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    sock, non2xx, resp > 0 and bytes / resp or 0))
end
