-- wrk script: POST /v1/scan with the raw JPEG as the body and the ids in the query string
-- (a fresh content_id per request), cycling through the files listed in $UPLOADS.
-- With RAW_ROUTE=/v1/hash it posts the same bodies to that route instead (no ids): the
-- transport alone, doing the same work as `vigil hash`.
local files = {}
local counter = 0
local thread_tag = ""

function setup(thread)
  thread:set("tag", tostring(thread))
end

function init(args)
  thread_tag = (tag or "t"):gsub("[^%w]", "")
  for path in io.lines(os.getenv("UPLOADS")) do
    local f = assert(io.open(path, "rb"))
    files[#files + 1] = f:read("*a")
    f:close()
  end
end

function request()
  counter = counter + 1
  local id = thread_tag .. "-" .. counter
  local route = os.getenv("RAW_ROUTE")
  local path = route or ("/v1/scan?content_id=" .. id ..
                         "&content_url=https%3A%2F%2Fplatform.example%2Fc%2F" .. id)
  return wrk.format("POST", path, {
    ["Content-Type"] = "image/jpeg",
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
  }, files[(counter % #files) + 1])
end
