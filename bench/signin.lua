-- Sign-in, each iteration with a fresh CSRF token: GET /masuk (a new pd_csrf cookie and the
-- masked token of its form), then POST /masuk with them and BENCH_EMAIL / BENCH_PASSWORD.
-- A success is 303; anything else (the form again with an error, 429, 5xx) is bad. Run with
-- as many connections as threads (-tN -cN), so that each thread's requests alternate exactly.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local email = os.getenv("BENCH_EMAIL") or ""
local password = os.getenv("BENCH_PASSWORD") or ""

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

setup = common.setup

function init(args)
  signins, bad, forms, first_bad = 0, 0, 0, 0
  cookie, token = nil, nil
end

function request()
  if token then
    local b = "csrf=" .. urlencode(token) .. "&next=&email=" .. urlencode(email) ..
              "&password=" .. urlencode(password)
    local h = {["Cookie"] = "pd_csrf=" .. cookie,
               ["Content-Type"] = "application/x-www-form-urlencoded"}
    token = nil
    posted = true
    return wrk.format("POST", "/masuk", h, b)
  end
  posted = false
  return wrk.format("GET", "/masuk", {})
end

function response(status, headers, body)
  if posted then
    if status == 303 then signins = signins + 1 else
      bad = bad + 1
      if first_bad == 0 then first_bad = status end
    end
    return
  end
  local sc = headers["Set-Cookie"] or headers["set-cookie"] or ""
  local c = sc:match("pd_csrf=([^;]+)")
  local t = body:match('name="csrf" value="([^"]+)"')
  if status == 200 and c and t then
    cookie, token = c, t
    forms = forms + 1
  else
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, {"signins", "bad", "forms", "first_bad"})
end
