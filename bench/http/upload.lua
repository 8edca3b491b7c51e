-- wrk script: POST one JPEG to /v1/hash-and-match on every request.
local f = assert(io.open(os.getenv("UPLOAD"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "image/jpeg"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
