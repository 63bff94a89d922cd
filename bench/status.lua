-- One fixed request (BENCH_METHOD, BENCH_BODY, BENCH_CTYPE, the URL and -H headers given to
-- wrk), every answer checked: a status other than BENCH_EXPECT (default 200) counts as bad.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/x-www-form-urlencoded"
end

setup = common.setup

function init(args)
  good, bad, first_bad = 0, 0, 0
end

function response(status, headers, body)
  if status == expect then
    good = good + 1
  else
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, {"good", "bad", "first_bad"})
end
