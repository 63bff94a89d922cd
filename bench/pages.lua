-- Open311 GET requests.json over a fixed date range (BENCH_QUERY, without page) page after
-- page: each request of a thread takes the next page number (1, 2, 3…), so requests carry
-- distinct pages; back to 1 after an empty page ("[]") or past BENCH_MAX_PAGE (the API's
-- depth limit: 10,000 requests).
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local base = os.getenv("BENCH_PATH") or "/open311/v2/requests.json"
local query = os.getenv("BENCH_QUERY") or ""
local max_page = tonumber(os.getenv("BENCH_MAX_PAGE") or "200")

setup = common.setup

function init(args)
  good, bad, first_bad, wraps, deepest = 0, 0, 0, 0, 0
  page = 1
end

function request()
  local p = page
  page = page + 1
  if page > max_page then
    page = 1
    wraps = wraps + 1
  end
  if p > deepest then deepest = p end
  return wrk.format("GET", base .. "?" .. query .. "&page=" .. p, {})
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
    return
  end
  good = good + 1
  if body:match("^%s*%[%s*%]%s*$") then
    page = 1
    wraps = wraps + 1
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, {"good", "bad", "first_bad", "wraps", "deepest"})
end
