-- Prints wrk's summary as one JSON line (requests, errors, p50/p99 in microseconds).
hits, misses = 0, 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
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
