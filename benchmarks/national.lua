-- wrk script of national.py: a random path per request from the file given after "--"; a JSON summary at the end.
local paths = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() * 100 + id)
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.3f, "rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f}\n',
    summary.requests, errors, seconds, (summary.requests - errors) / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
