-- wrk script for bench/soak.sh: mixed desk load, reads and writes interleaved on every
-- connection. Out of every 20 requests: 3 create a person, 3 patch one (merge patch, no
-- If-Match: last writer wins), 4 record a touchpoint, 3 greeting cards (by customer id,
-- phone or a demo plate), 3 searches, 2 list pages, 1 GET by id, 1 touchpoint list.
-- Each wrk thread keeps the ids of the customers it created (parsed from the 201 bodies).
-- done() prints the per-status counts summed over the threads (wrk itself only counts
-- "non-2xx or 3xx"); soak.sh reads the line starting with "soak:".

local names = { "Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Köhler", "Yılmaz", "Şahin",
    "Groß", "Jäger" }
local queries = { "M%C3%BCller", "Mueller", "Schmidt", "K%C3%B6hler", "Koehler", "Soak", "0171",
    "Wessling", "Wei%C3%9F", "Jaeger" }
local plates = { "M-HW%202022", "mhw2022", "m.hw.2022" }

local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    threads[#threads + 1] = thread
end

local ids, mails, nids, maxids = {}, {}, 0, 5000
local run = os.getenv("SOAK_RUN") or "0" -- soak.sh: 1 for the warm-up, 2 for the run
local seq, created = 0, 0
local counts = { c2xx = 0, c3xx = 0, c4xx = 0, c5xx = 0, c404 = 0, c409 = 0, c429 = 0, c503 = 0 }
local json, patch = {}, {}

function init(args)
    math.randomseed(os.time() + (thread_index or 0) * 7919)
    -- wrk.format replaces wrk.headers (the -H Authorization) when given headers: copy them
    for k, v in pairs(wrk.headers) do json[k] = v; patch[k] = v end
    json["Content-Type"] = "application/json"
    patch["Content-Type"] = "application/merge-patch+json"
end

local function some_id()
    if nids == 0 then return nil end
    local i = math.random(nids)
    return ids[i], mails[i]
end

local function create()
    created = created + 1
    local t = thread_index or 0
    local body = string.format('{"kind":"person","salutation":"Frau","given_name":"Soak",' ..
        '"family_name":"%s-%s-%d-%d","phones":["017%d %s%07d"],' ..
        '"emails":["soak%s-%d-%d@example.de"],"consents":{"email":"granted"}}',
        names[created % #names + 1], run, t, created, t % 10, run, created % 10000000, run, t,
        created)
    return wrk.format("POST", "/v1/customers", json, body)
end

request = function()
    seq = seq + 1
    local op = seq % 20
    local id, mail = some_id()
    if id == nil or op < 3 then
        return create()
    elseif op < 6 then
        return wrk.format("PATCH", "/v1/customers/" .. id, patch,
            string.format('{"notes":"soak patch %d","preferred_name":"S%d"}', seq, seq % 97))
    elseif op < 10 then
        return wrk.format("POST", "/v1/touchpoints", json, string.format(
            '{"customer_id":"%s","kind":"service_visit","channel":"in_person",' ..
            '"department":"service","staff":"Soak","summary":"soak visit %d","satisfaction":0.8,' ..
            '"nps":%d}', id, seq, seq % 11))
    elseif op == 10 then
        return wrk.format("GET", "/v1/greeting?customer_id=" .. id)
    elseif op == 11 then
        return wrk.format("GET", "/v1/greeting?plate=" .. plates[seq % #plates + 1])
    elseif op == 12 then
        return wrk.format("GET", "/v1/greeting?email=" .. mail)
    elseif op < 16 then
        return wrk.format("GET", "/v1/search?q=" .. queries[seq % #queries + 1])
    elseif op < 18 then
        return wrk.format("GET", "/v1/customers?limit=50")
    elseif op == 18 then
        return wrk.format("GET", "/v1/customers/" .. id)
    else
        return wrk.format("GET", "/v1/touchpoints?customer_id=" .. id)
    end
end

response = function(status, headers, body)
    if status >= 300 and os.getenv("SOAK_DEBUG") then -- SOAK_DEBUG=FILE: non-2xx bodies there
        local f = io.open(os.getenv("SOAK_DEBUG"), "a")
        f:write(status, " ", body:sub(1, 300), "\n")
        f:close()
    end
    if status < 300 then counts.c2xx = counts.c2xx + 1
    elseif status < 400 then counts.c3xx = counts.c3xx + 1
    elseif status < 500 then counts.c4xx = counts.c4xx + 1
    else counts.c5xx = counts.c5xx + 1 end
    local k = "c" .. status
    if counts[k] ~= nil and status ~= 200 then counts[k] = counts[k] + 1 end
    if status == 201 and body:find('"kind":"person"', 1, true) and
        not body:find('"customer_id"', 1, true) then
        local cid = body:match('^{"id":"([%x%-]+)"')
        local mail = body:match('"(soak[%d%-]+)@example%.de"')
        if cid and mail then
            local i = nids < maxids and nids + 1 or math.random(maxids)
            nids = math.max(nids, i)
            ids[i], mails[i] = cid, mail .. "%40example.de"
        end
    end
    for key, v in pairs(counts) do wrk.thread:set(key, v) end
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for key, _ in pairs(counts) do total[key] = (total[key] or 0) + (t:get(key) or 0) end
    end
    io.write(string.format("soak: 2xx %d 3xx %d 4xx %d 5xx %d 404 %d 409 %d 429 %d 503 %d " ..
        "socket_errors %d timeouts %d\n", total.c2xx, total.c3xx, total.c4xx, total.c5xx,
        total.c404, total.c409, total.c429, total.c503,
        summary.errors.connect + summary.errors.read + summary.errors.write,
        summary.errors.timeout))
    io.write(string.format("soak-latency: p50 %.2f p99 %.2f max %.2f ms\n",
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
