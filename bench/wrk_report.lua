-- Print wrk's results as one JSON line, with the percentiles we report.
-- With WRK_PATHS naming a file of request paths (one per line), requests cycle
-- through them, so a search benchmark runs many queries rather than one.
local paths = {}
local file = os.getenv("WRK_PATHS") and io.open(os.getenv("WRK_PATHS"))
if file then
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
end
local counter = 0

if #paths > 0 then
  request = function()
    counter = counter + 1
    return wrk.format(nil, paths[(counter % #paths) + 1])
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
