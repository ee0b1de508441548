--[[
  Marks a scheduled broadcast that could not start as failed; it then expires after the retention.

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  ARGV    reason, retention (seconds)
  Result  1 failed now, 0 it was not scheduled
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'scheduled' then return 0 end
local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'failed', 'finishedAt', now, 'error', ARGV[1])
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[#ARGV]) end
return 1
