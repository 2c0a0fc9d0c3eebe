-- The browse mix for wrk: the paths (listings, product pages over at least 500 products and 20
-- search terms) come from a file that loadtests/src/bench/browse-mix.ts writes, so wrk and
-- Vegeta measure the same traffic. Each thread cycles through them from a random start. Counts
-- cache hits from the edge's X-Cache header and prints a JSON summary on the last line.
local paths = {}
hits, misses = 0, 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end

init = function(args)
  -- args[1]: the file of paths, one per line
  local f = assert(io.open(args[1] or "", "r"), "browse-mix.lua needs the paths file")
  for line in f:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  f:close()
  assert(#paths > 0, "the paths file is empty")
  counter = math.random(#paths)
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], { ["Accept"] = "application/json" })
end

response = function(status, headers, body)
  local x = headers["X-Cache"] or headers["x-cache"]
  if x == "HIT" then hits = hits + 1 else misses = misses + 1 end
end

done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + (t:get("hits") or 0); m = m + (t:get("misses") or 0) end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"p50Us":%d,"p99Us":%d,"maxUs":%d,"hits":%d,"misses":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, h, m))
end
