-- wrk script: look a car up by its plate, typed in mixed spellings.
local plates = { "M-HW%202022", "m%20hw2022", "MHW2022", "m-hw-2022" }
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", "/v1/vehicles?plate=" .. plates[i % #plates + 1])
end
