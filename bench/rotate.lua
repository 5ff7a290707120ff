-- wrk script: each request takes the next path of a list (one per line), so that every
-- request asks for another page and no cache can answer it. Usage:
--   wrk -s bench/rotate.lua URL -- paths.txt
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- Each thread starts at another place of the list.
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
