-- wrk script for GET measurements (tests/bench/run.sh).
--   BENCH_AE      Accept-Encoding to send ("gzip" as browsers do; "" none)
--   BENCH_COOKIE  a Cookie header (the signed-in pages); unset: anonymous
-- At the end it prints one line "BENCH key=value ..." that run.sh parses.

local ae = os.getenv("BENCH_AE")
if ae == nil then ae = "gzip" end
if ae ~= "" then wrk.headers["Accept-Encoding"] = ae end
wrk.headers["Accept-Language"] = "en"
wrk.headers["User-Agent"] = "magnet-bench (wrk)"
local cookie = os.getenv("BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then wrk.headers["Cookie"] = cookie end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("BENCH requests=%d duration_us=%d bytes=%d " ..
	    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
	    "err_connect=%d err_read=%d err_write=%d err_status=%d " ..
	    "err_timeout=%d\n",
	    summary.requests, summary.duration, summary.bytes,
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, latency.mean,
	    e.connect, e.read, e.write, e.status, e.timeout))
end
