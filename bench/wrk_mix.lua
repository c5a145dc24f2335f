-- wrk script for bench/serve.py: a fixed list of (kind, path) requests, each answer logged.
--
--   wrk -t 20 -c 20 -d 60s --timeout 30s -s bench/wrk_mix.lua http://127.0.0.1:PORT -- JOBS THREADS OUT
--
-- JOBS is a file of "kind<TAB>path" lines.  Run with as many threads as connections: each
-- thread then holds one connection, so its request() and response() calls alternate and the
-- time between them is that request's latency (LuaJIT's FFI reads the monotonic clock).
-- Thread n walks the list from line n with a stride of THREADS, so the threads together
-- cover it in order.  Each thread writes "kind<TAB>status<TAB>ms<TAB>hit" lines to OUT.<n>
-- (hit: the answer came from the portal's response cache, X-Cache: hit); done()
-- prints one JSON line with wrk's socket errors, its request count and the duration.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } gb_timespec;
int clock_gettime(int clk_id, gb_timespec *tp);
]]
local ts = ffi.new("gb_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local kinds, paths = {}, {}
local pos, stride, current, started, out

function init(args)
  for line in io.lines(args[1]) do
    local kind, path = line:match("^([^\t]+)\t(.+)$")
    if kind then
      kinds[#kinds + 1] = kind
      paths[#paths + 1] = path
    end
  end
  stride = tonumber(args[2]) or 1
  pos = (id or 0) % #paths + 1
  out = io.open(args[3] .. "." .. (id or 0), "w")
end

function request()
  if not pos then return wrk.format("GET", "/") end -- wrk's check of the script, before init()
  current = kinds[pos]
  local path = paths[pos]
  pos = pos + stride
  if pos > #paths then pos = (pos - 1) % #paths + 1 end
  started = now_ms()
  return wrk.format("GET", path)
end

function response(code, headers, body)
  if not started then return end
  local hit = (headers["x-cache"] or headers["X-Cache"]) == "hit" and 1 or 0
  out:write(string.format("%s\t%d\t%.3f\t%d\n", current, code, now_ms() - started, hit))
  out:flush()
  started = nil
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"duration_s": %.3f, "requests": %d, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.duration / 1e6, summary.requests, e.connect, e.read, e.write, e.timeout))
end
