-- B1: POST /api/v1/applications with valid, distinct Colombian applications (cédula = thread offset + counter).
local threads = {}
local counter = 0

-- Documents never repeat: run number (CREDITDESK_BENCH_RUN, 0-8) and thread pick disjoint ranges of 10 million.
function setup(thread)
  thread:set("offset", #threads * 10000000)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  base = 1000000000 + tonumber(os.getenv("CREDITDESK_BENCH_RUN") or "0") * 100000000 + offset
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"country":"CO","full_name":"Bench Mark","document":"%d","amount":"5000000.00","monthly_income":"4000000.00","term_months":36}',
    base + counter)
  return wrk.format("POST", "/api/v1/applications", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("CREDITDESK_BENCH_KEY"),
  }, body)
end
