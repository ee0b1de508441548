--[[
  Holds every send for a while after a 429: extends the pause, never shortens it.

  KEYS[1] the pause                  <prefix>broadcast-pause
  ARGV[1] how long (ms)
  Result  the pause left (ms)
]]
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return redis.call('PTTL', KEYS[1])
