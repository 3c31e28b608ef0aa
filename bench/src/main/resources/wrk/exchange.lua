-- The service benchmark's closed loop, run by wrk (WrkDriver): each request spends one prepared form body (a fresh
-- CI token) from this thread's file; after QUOTA answers the thread says so on stdout and stops, and WrkDriver ends
-- the run with SIGINT, so that wrk prints its summary over exactly the answers counted.
--
-- Arguments (after wrk's "--"): the body files' prefix (thread N reads PREFIX.N, one form body per line), the quota
-- of answers per thread, and the Authorization header value ("" for none).
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
local answered = 0
local quota = 0
local headers = {}
bad = 0
first = ""
dry = 0

function init(args)
  quota = tonumber(args[2])
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
  if sent >= #bodies then
    -- Cannot happen with enough spares; a reused token would be refused as a replay, so say so instead.
    dry = dry + 1
    return bodies[#bodies]
  end
  sent = sent + 1
  return bodies[sent]
end

function response(status, response_headers, body)
  answered = answered + 1
  if status ~= 200 or not string.find(body, '"access_token"', 1, true) then
    bad = bad + 1
    if first == "" then
      first = "HTTP " .. status .. ": " .. string.gsub(string.sub(body, 1, 300), "%c", " ")
    end
  end
  if answered == quota then
    io.write("EC-THREAD-DONE " .. id .. "\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors, dry_total, first_error = 0, 0, ""
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("bad")
    dry_total = dry_total + thread:get("dry")
    if first_error == "" then
      first_error = thread:get("first")
    end
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("EC-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d bad=%d socket=%d dry=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    errors, socket, dry_total))
  io.write("EC-FIRST-ERROR " .. first_error .. "\n")
end
