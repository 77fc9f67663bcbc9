-- wrk script for the posting measurement (tests/bench/run.sh): every
-- request is a new reply with its own idempotency key, as a browser sends
-- the reply form.
--   BENCH_PATH    the form's action, e.g. /t/80000/reply
--   BENCH_ORIGIN  http://127.0.0.1:PORT (the server checks Origin)
--   BENCH_COOKIE  the signed-in account's cookies
--   BENCH_CSRF    the csrf field of that session's forms
--   BENCH_AE      Accept-Encoding, as in get.lua
-- A reply answered 303 counts as done; anything else (429, 400, 403) is
-- counted by wrk as "non-2xx or 3xx" and reported by run.sh.

local path = os.getenv("BENCH_PATH")
local csrf = os.getenv("BENCH_CSRF") or ""
local ae = os.getenv("BENCH_AE")
if ae == nil then ae = "gzip" end

local headers = {
	["Content-Type"] = "application/x-www-form-urlencoded",
	["Origin"] = os.getenv("BENCH_ORIGIN"),
	["Sec-Fetch-Site"] = "same-origin",
	["Accept-Language"] = "en",
	["User-Agent"] = "magnet-bench (wrk)",
	["Cookie"] = os.getenv("BENCH_COOKIE"),
}
if ae ~= "" then headers["Accept-Encoding"] = ae end

local texts = {
	"Thanks, this helped me a lot. I went to the **labour office** in " ..
	"Erbil last week with my passport and the certificate from the " ..
	"training course; they said the contractor needs the form signed " ..
	"by the employer first. سوپاس بۆ یارمەتییەکەت، سبەی دەچم بۆ فەرمانگە.",
	"زۆر سوپاس. من دوای گەڕانەوە لە ئەڵمانیا شەش مانگ کارم نەبوو، " ..
	"بەڵام ڕاهێنانی کارەبا یارمەتی دام. Does anyone know if the " ..
	"reintegration grant covers tools for a small workshop?\n\n" ..
	"- welding machine\n- generator\n- rent for the first months",
	"In Sulaymaniyah the bakery on Salim street is hiring two people, " ..
	"morning shift, salary about 500,000 dinar a month. Ask for Kak " ..
	"Hemin and say you came from the IOM counselling office.",
}

local counter = 0
function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

local n = 0
local prefix
local function urlencode(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", string.byte(c))
	end))
end
local encoded = {}

function init(args)
	math.randomseed(os.time() * 1000 + (tid or 0))
	prefix = string.format("bench-%x-%d-%d-", os.time(), tid or 0,
	    math.random(1, 1000000000))
	for i, t in ipairs(texts) do encoded[i] = urlencode(t) end
end

function request()
	n = n + 1
	local body = "body=" .. encoded[1 + n % #encoded] ..
	    urlencode(string.format("\n\n(reply %d)", n)) ..
	    "&csrf=" .. csrf .. "&idem=" .. prefix .. n
	return wrk.format("POST", path, headers, body)
end

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
