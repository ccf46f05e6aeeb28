-- wrk's results as one JSON file for `make bench` (path in BENCH_JSON): throughput, latency
-- percentiles from wrk's own histogram (microseconds) and every kind of error. wrk counts a
-- response with status >= 400 as a `status` error, so "errors" is everything not 2xx/3xx plus
-- sockets that failed or timed out.
local M = {}
local threads = {}

function M.track(thread)
  table.insert(threads, thread)
end

-- Adds up a global of every thread's Lua state (only readable once the run is over).
function M.sum(name)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (tonumber(thread:get(name)) or 0)
  end
  return total
end

local function quote(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function encode(value)
  local kind = type(value)
  if kind == "table" then
    local parts = {}
    for key, item in pairs(value) do
      table.insert(parts, quote(tostring(key)) .. ":" .. encode(item))
    end
    table.sort(parts)
    return "{" .. table.concat(parts, ",") .. "}"
  elseif kind == "string" then
    return quote(value)
  elseif kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then
      return "null"
    end
    return string.format("%.17g", value)
  elseif kind == "boolean" then
    return tostring(value)
  end
  return "null"
end

function M.done(summary, latency, requests, extra)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local result = {
    name = os.getenv("BENCH_NAME") or "wrk",
    url = os.getenv("BENCH_URL") or "",
    connections = tonumber(os.getenv("BENCH_CONNECTIONS") or ""),
    threads = #threads,
    duration_s = seconds,
    requests = summary.requests,
    bytes = summary.bytes,
    requests_per_s = summary.requests / seconds,
    latency_us = {
      mean = latency.mean,
      stdev = latency.stdev,
      min = latency.min,
      max = latency.max,
      p50 = latency:percentile(50),
      p90 = latency:percentile(90),
      p99 = latency:percentile(99),
      p99_9 = latency:percentile(99.9),
    },
    errors = { connect = e.connect, read = e.read, write = e.write, status = e.status, timeout = e.timeout },
    error_total = e.connect + e.read + e.write + e.status + e.timeout,
  }
  for key, value in pairs(extra or {}) do
    result[key] = value
  end
  local path = os.getenv("BENCH_JSON")
  if path then
    local file = assert(io.open(path, "w"))
    file:write(encode(result), "\n")
    file:close()
  end
end

return M
