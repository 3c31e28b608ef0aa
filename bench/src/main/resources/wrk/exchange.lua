-- The service benchmark's closed loop, run by wrk (WrkDriver): each request spends one prepared form body (a fresh
-- CI token) from this thread's file; once QUOTA answers are in, the thread says so on stdout and stops, and WrkDriver
-- ends the run with SIGINT, so that wrk prints its summary over the answers counted.
--
-- Arguments (after wrk's "--"): the body files' prefix (thread N reads PREFIX.N, one form body per line), the quota
-- of answers per thread, the Authorization header value ("" for none), and the connections per thread.
--
-- There is no response() function: defining one makes wrk hand every answer's headers and body to Lua, which cost the
-- generator a quarter of its CPU, taken from the server it shares the cores with. Answers are counted instead by the
-- requests asked for (each connection asks for its next request as soon as its answer is read), and failures by
-- wrk's own count of answers with a status of 400 or more.
--
-- wrk 4.1 calls request() once on the first thread before it runs, to check for pipelining; that request is never sent.
-- Each file therefore holds the quota plus spares (one per connection, and that one), so request() never runs dry.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local bodies = {}
local sent = 0
local quota = 0
local connections = 0
local headers = {}
dry = 0

function init(args)
  quota = tonumber(args[2])
  connections = tonumber(args[4])
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  if args[3] ~= nil and args[3] ~= "" then
    headers["Authorization"] = args[3]
  end
  -- Each request is formatted here, before the run: formatting it in request() cost the generator CPU that the
  -- server under test shares.
  local file = assert(io.open(args[1] .. "." .. id, "r"))
  for line in file:lines() do
    bodies[#bodies + 1] = wrk.format("POST", nil, headers, line)
  end
  file:close()
end

function request()
  sent = sent + 1
  if sent == quota + connections + 1 then
    -- Every connection had one request out before any answer; each later request follows an answer read.
    io.write("EC-THREAD-DONE " .. id .. "\n")
    io.flush()
    wrk.thread:stop()
  end
  if sent > #bodies then
    -- Past the quota, a request the stopping loop still asks for is never answered, or not counted: any body will do.
    -- Before it, a reused token would be refused as a replay, so say so instead.
    if sent <= quota + connections then
      dry = dry + 1
    end
    return bodies[#bodies]
  end
  return bodies[sent]
end

-- wrk's latency histogram as "EC-LATENCY micros:count ...", one entry per latency recorded (ascending), so that
-- WrkDriver can merge runs and read quantiles over all their requests. wrk 4.1 counts requests per whole microsecond;
-- latency(i) returns the i-th latency that has a count, and that count (latency[i] is not it: indexing with a
-- number returns the number, as a string). #latency is how many have a count. Each latency(i) scans wrk's counts from
-- the least latency, but only up to the i-th, so the whole histogram costs a fraction of a second after the run.
-- The counts include wrk's correction for coordinated omission, as its own quantiles do, so they may add up to more
-- than the requests.
local function histogram(latency)
  local entries = {}
  for i = 1, #latency do
    local micros, count = latency(i)
    entries[i] = string.format("%d:%d", micros, count)
  end
  return "EC-LATENCY " .. table.concat(entries, " ") .. "\n"
end

function done(summary, latency, requests)
  local dry_total = 0
  for _, thread in ipairs(threads) do
    dry_total = dry_total + thread:get("dry")
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("EC-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d bad=%d socket=%d dry=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    summary.errors.status, socket, dry_total))
  io.write(histogram(latency))
end
