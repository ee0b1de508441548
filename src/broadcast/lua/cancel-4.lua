--[[
  Cancels a scheduled or running broadcast; its keys then expire after the retention.

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  KEYS[2] chats delivered            <prefix>broadcast:<id>:delivered
  KEYS[3] chats dropped              <prefix>broadcast:<id>:dropped
  KEYS[4] the broadcast's recipients <prefix>broadcast:<id>:recipients
  ARGV[1] retention (seconds)
  Result  {state before ('' if no such broadcast), 1 if cancelled now else 0}
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'', 0} end
if state ~= 'scheduled' and state ~= 'running' then return {state, 0} end
local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'cancelled', 'finishedAt', now)
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[#ARGV]) end
return {state, 1}
