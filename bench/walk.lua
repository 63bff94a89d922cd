-- The public complaint list walked page by page under load: every answer's rel="next" link is
-- queued and the next request of the thread takes it, so each cursor is requested exactly once
-- (the thread's connections walk interleaved chains, deeper and deeper); with no queued link a
-- request starts again at the first page.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup

function init(args)
  good, bad, first_bad, firsts, followed = 0, 0, 0, 0, 0
  queue, head, tail = {}, 1, 0
end

function request()
  if head <= tail then
    local path = queue[head]
    queue[head] = nil
    head = head + 1
    followed = followed + 1
    return wrk.format("GET", path, {})
  end
  firsts = firsts + 1
  return wrk.format("GET", "/pengaduan", {})
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
    return
  end
  good = good + 1
  local href = body:match('<a href="(/pengaduan%?[^"]*)" rel="next"')
  if href then
    tail = tail + 1
    queue[tail] = href:gsub("&amp;", "&")
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, {"good", "bad", "first_bad", "firsts", "followed"})
end
