-- B5: pre-signed bank webhooks from CREDITDESK_B5_FILE, one delivery per line ("signature<TAB>body"). Each event is on
-- two consecutive lines, so the second delivery is a duplicate; a pair always goes to the same thread.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines = {}
  index = 0
  local threads = tonumber(os.getenv("CREDITDESK_B5_THREADS") or "2")
  local n = 0
  for line in io.lines(os.getenv("CREDITDESK_B5_FILE")) do
    if math.floor(n / 2) % threads == id then
      table.insert(lines, line)
    end
    n = n + 1
  end
end

request = function()
  index = index + 1
  local line = lines[((index - 1) % #lines) + 1]
  local tab = line:find("\t", 1, true)
  return wrk.format("POST", "/api/v1/webhooks/bank-confirmation", {
    ["Content-Type"] = "application/json",
    ["X-CreditDesk-Signature"] = line:sub(1, tab - 1),
  }, line:sub(tab + 1))
end
