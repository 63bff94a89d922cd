-- Shared by the benchmark's wrk scripts (bench/run): per-thread counters summed in done(),
-- printed as one JSON line starting with BENCHJSON that bench/run reads.
local M = {}
M.threads = {}

function M.setup(thread)
  thread:set("id", #M.threads + 1)
  table.insert(M.threads, thread)
end

-- counters: names of per-thread globals summed over the threads into the JSON line; those
-- named first_* or deepest are the largest of the threads' values instead
function M.done(summary, latency, counters)
  local sums = {}
  for _, name in ipairs(counters) do
    sums[name] = 0
    local largest = name:match("^first_") or name == "deepest"
    for _, t in ipairs(M.threads) do
      local v = t:get(name) or 0
      if largest then
        if v > sums[name] then sums[name] = v end
      else
        sums[name] = sums[name] + v
      end
    end
  end
  local e = summary.errors
  local parts = {
    string.format('"requests": %d', summary.requests),
    string.format('"duration_us": %d', summary.duration),
    string.format('"bytes": %d', summary.bytes),
    string.format('"socket_errors": %d', e.connect + e.read + e.write + e.timeout),
    string.format('"timeouts": %d', e.timeout),
    string.format('"p50_us": %d', latency:percentile(50)),
    string.format('"p90_us": %d', latency:percentile(90)),
    string.format('"p99_us": %d', latency:percentile(99)),
    string.format('"max_us": %d', latency.max),
    string.format('"mean_us": %.1f', latency.mean),
  }
  for _, name in ipairs(counters) do
    table.insert(parts, string.format('"%s": %d', name, sums[name]))
  end
  io.write("BENCHJSON {" .. table.concat(parts, ", ") .. "}\n")
end

return M
