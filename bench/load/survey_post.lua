-- wrk script: submissions to a survey's public link, each with its own signed form token (so
-- each is a new device), behind a TLS proxy, with Django's CSRF cookie and field. Prints the
-- usual BENCH line and a SURVEY line: how many answers were 2xx (200: "already answered"), 3xx
-- (302 to the thank-you page: accepted) or anything else, and whether tokens ran out.
--
-- BENCH_TOKENS: a file of url-encoded form tokens, one a line (bench/load/prepare.py). Thread i
-- of n takes the lines i, i + n, ...; a token is never sent twice unless the file runs out.
local csrf = "benchcsrf0123456789abcdefghijklm"  -- 32 characters: a valid CSRF secret
local path = os.getenv("BENCH_TOKENS")
local answers = os.getenv("BENCH_ANSWERS") or "q.overall=4"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")  -- wrk -t (bench/load/__main__.py)
local threads = {}
local counter = 0

wrk.method = "POST"
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Language"] = "en"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. csrf

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  tokens, next_token, wrapped = {}, 1, 0
  ok2, ok3, other = 0, 0, 0
  local i, n = 0, 0
  for line in io.lines(path) do
    if i % nthreads == id then
      n = n + 1
      tokens[n] = line
    end
    i = i + 1
  end
  -- Django's CSRF check of an https request: the Origin must be this host
  wrk.headers["Origin"] = "https://" .. wrk.host .. (wrk.port and (":" .. wrk.port) or "")
end

function request()
  local token = tokens[next_token]
  next_token = next_token + 1
  if next_token > #tokens then
    next_token, wrapped = 1, wrapped + 1
  end
  local body = "csrfmiddlewaretoken=" .. csrf .. "&token=" .. token .. "&" .. answers
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    ok3 = ok3 + 1
  elseif status >= 200 and status < 300 then
    ok2 = ok2 + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect, e.read, e.write, e.timeout))
  local s2, s3, so, sw = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s2 = s2 + thread:get("ok2")
    s3 = s3 + thread:get("ok3")
    so = so + thread:get("other")
    sw = sw + thread:get("wrapped")
  end
  io.write(string.format('SURVEY {"ok2": %d, "ok3": %d, "other": %d, "wrapped": %d}\n',
    s2, s3, so, sw))
end
