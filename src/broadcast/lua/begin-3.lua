--[[
  Starts a scheduled broadcast with its resolved recipients; any other state is left as it is.

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  KEYS[2] the recipients resolved    <prefix>broadcast:<id>:tmp (list, renamed to KEYS[3] or dropped)
  KEYS[3] the broadcast's recipients <prefix>broadcast:<id>:recipients
  ARGV[1] how many recipients
  Result  'running'; 'done' when there is nobody to send to; else the state it was in ('' if none)
]]
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'scheduled' then redis.call('DEL', KEYS[2]) return state or '' end
local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
if n > 0 then redis.call('RENAME', KEYS[2], KEYS[3]) end
redis.call('HSET', KEYS[1], 'state', 'running', 'total', n, 'startedAt', now, 'fanned', 0)
if n == 0 then redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', now) return 'done' end
return 'running'
