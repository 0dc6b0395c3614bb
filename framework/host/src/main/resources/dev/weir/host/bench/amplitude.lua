-- wrk script for `weir bench ingest`: POST /2/httpapi with EVENTS events per request, each with a unique
-- insert id, user id and device id (unique per thread, request and event), so nothing is deduplicated or
-- throttled. The events follow the same template as the parse-only and bare-HTTP baselines.
-- Environment: WEIR_BENCH_KEY (api key), WEIR_BENCH_EVENTS (events per request, default 100), WEIR_BENCH_RUN
-- (unique per wrk run, so a second run repeats no id of the first).
local key = os.getenv("WEIR_BENCH_KEY") or "weir-quickstart-key"
local events = tonumber(os.getenv("WEIR_BENCH_EVENTS") or "100")
local run = os.getenv("WEIR_BENCH_RUN") or tostring(os.time())
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local prefix = run .. "-" .. thread_id .. "-" .. counter .. "-"
  local parts = {}
  for i = 1, events do
    parts[i] = '{"event_type":"Viewed Item","user_id":"user-' .. prefix .. i ..
      '","device_id":"device-' .. prefix .. i .. '","insert_id":"ins-' .. prefix .. i ..
      '","time":1700000000000,"event_properties":{"item":"sku-' .. i ..
      '","price":12.5,"tags":["a","b"],"count":' .. i ..
      '},"platform":"Web","os_name":"Chrome","app_version":"2.1.0","country":"Germany"}'
  end
  local body = '{"api_key":"' .. key .. '","events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/2/httpapi", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors_seen = (errors_seen or 0) + 1
    if errors_seen < 3 then
      io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  io.write(string.format("WRK_RESULT requests=%d errors_status=%d p50_us=%d p99_us=%d duration_us=%d\n",
    summary.requests, summary.errors.status, latency:percentile(50), latency:percentile(99), summary.duration))
end
