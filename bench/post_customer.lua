-- wrk script: create person customers (write path: validation, BEGIN IMMEDIATE, insert, keys).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
    n = n + 1
    local body = string.format(
        '{"kind":"person","salutation":"Frau","given_name":"Bench","family_name":"Müller-%d",' ..
        '"phones":["0171 %07d"],"emails":["bench%d@example.de"]}', n, n, n)
    return wrk.format(nil, nil, nil, body)
end
