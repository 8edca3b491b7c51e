-- wrk script: POST /v1/scan as a platform would: multipart with a fresh content_id and
-- content_url per request and one JPEG part, cycling through the files listed in $UPLOADS
-- (one path per line). Requests are built in advance per file; only the content_id
-- changes per request.
local boundary = "vigilbench7d1f3a"
local files = {}
local counter = 0
local thread_tag = ""

local function read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function setup(thread)
  thread:set("tag", tostring(thread))
end

function init(args)
  thread_tag = (tag or "t"):gsub("[^%w]", "")
  for path in io.lines(os.getenv("UPLOADS")) do
    files[#files + 1] = read(path)
  end
end

local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name ..
         "\"\r\n\r\n" .. value .. "\r\n"
end

function request()
  counter = counter + 1
  local id = thread_tag .. "-" .. counter
  local jpeg = files[(counter % #files) + 1]
  local body = part("content_id", id) .. part("content_url", "https://platform.example/c/" .. id) ..
               "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"media\"; " ..
               "filename=\"upload.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" .. jpeg ..
               "\r\n--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/v1/scan", {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
  }, body)
end

