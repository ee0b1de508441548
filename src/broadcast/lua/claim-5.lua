--[[
  Whether one message may go now: the broadcast runs and has not expired, the chat has not had it, no
  429 pause holds, and the chat's spacing has passed (then it is taken for this send).

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  KEYS[2] chats delivered            <prefix>broadcast:<id>:delivered (set)
  KEYS[3] chats dropped              <prefix>broadcast:<id>:dropped (hash chat → blocked|failed)
  KEYS[4] the 429 pause              <prefix>broadcast-pause
  KEYS[5] the chat's spacing         <prefix>broadcast-chat:<chatId>, set for ARGV[2] ms
  ARGV    chatId, spacing (ms)
  Result  {verdict, ms}: {'go', 0}, {'skip', 0} not running, {'done', 0} already counted,
          {'expired', 0}, {'paused', ms left}, {'wait', ms left of the chat's spacing}
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'expiresAt')
if f[1] ~= 'running' then return {'skip', 0} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return {'done', 0} end
local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if f[2] and tonumber(f[2]) <= now then return {'expired', 0} end
local pause = redis.call('PTTL', KEYS[4])
if pause > 0 then return {'paused', pause} end
if redis.call('SET', KEYS[5], '1', 'NX', 'PX', ARGV[2]) then return {'go', 0} end
local wait = redis.call('PTTL', KEYS[5])
if wait < 1 then wait = 1 end
return {'wait', wait}
