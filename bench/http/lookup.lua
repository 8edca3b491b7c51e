-- wrk script: GET a lookup route with a different query hash each request, read from
-- queries.txt (one 64-hex PDQ hash per line). PATH_PREFIX is set by http_bench.sh.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
local prefix = os.getenv("PATH_PREFIX")
local token = os.getenv("TOKEN")
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", prefix .. queries[i], {["Authorization"] = "Bearer " .. token})
end
