-- Odoo's validation call, `GET /odoo/tokeninfo` with `Authorization: Bearer` (auth_oauth with
-- authorization_header = 1), each pool token presented exactly once. Thread i reads
-- $TOKEN_DIR/tokens-i.txt (bench_tokens writes one shard per wrk thread). A thread that runs out
-- sends a token that cannot exist, which the bridge refuses with 401: the run then counts errors
-- and reports `tokens_exhausted`, never a silently reused token.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local report = dofile(here .. "report.lua")

local count = 0
function setup(thread)
  thread:set("shard", count)
  count = count + 1
  report.track(thread)
end

function init(args)
  local dir = os.getenv("TOKEN_DIR") or "."
  tokens = {}
  for line in io.lines(dir .. "/tokens-" .. shard .. ".txt") do
    tokens[#tokens + 1] = line
  end
  used = 0
  exhausted = 0
  pool = #tokens
end

function request()
  local token = tokens[used + 1]
  if token then
    used = used + 1
  else
    exhausted = exhausted + 1
    token = "pool-exhausted"
  end
  return wrk.format("GET", "/odoo/tokeninfo", { ["Authorization"] = "Bearer " .. token, ["User-Agent"] = "python-requests/2.31.0" })
end

function done(summary, latency, requests)
  report.done(summary, latency, requests, {
    token_pool = report.sum("pool"),
    tokens_sent = report.sum("used"),
    tokens_exhausted = report.sum("exhausted"),
  })
end
