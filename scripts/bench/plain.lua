-- One fixed GET (the URL given to wrk), reported by report.lua. A browser-like Accept header so
-- the bridge and the simulator answer their HTML page.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local report = dofile(here .. "report.lua")

wrk.headers["Accept"] = "text/html,application/xhtml+xml"
wrk.headers["Accept-Language"] = "en"

function setup(thread)
  report.track(thread)
end

function done(summary, latency, requests)
  report.done(summary, latency, requests)
end
