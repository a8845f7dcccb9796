-- wrk script: greeting cards for plates typed at the desk in mixed spellings
-- ("M-AB 123", "mab123", "m.ab.123", "wü-k 7"). The plates come from the
-- generator (BENCH_INPUTS, one per line, as typed); requests walk through it.
local inputs = {}
for line in io.lines(os.getenv("BENCH_INPUTS")) do
    if #line > 0 then
        inputs[#inputs + 1] = line:gsub("[^%w%-%._~]", function(c)
            return string.format("%%%02X", string.byte(c))
        end)
    end
end
assert(#inputs > 0, "BENCH_INPUTS has no plates")

-- Thread k walks the (shuffled) file from line k*#inputs/BENCH_WALKERS on (default 2, the
-- number of wrk threads), like bench/inproc's workers, so both see the same mix.
local created = 0
function setup(thread)
    thread:set("thread_index", created)
    created = created + 1
end

local pos = 0
function init(args)
    local walkers = tonumber(os.getenv("BENCH_WALKERS") or "2")
    pos = math.floor((thread_index or 0) * #inputs / walkers) % #inputs
end

request = function()
    pos = pos % #inputs + 1
    return wrk.format("GET", "/v1/greeting?plate=" .. inputs[pos])
end
