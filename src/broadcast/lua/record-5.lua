--[[
  Counts one message's outcome once per chat (a later 'sent' replaces an earlier drop), and finishes the
  broadcast when every recipient is counted; its keys then expire after the retention. A message newly
  delivered also counts in its second of the clock: past the free allowance of that second, a message of
  a paid broadcast is billed (Telegram charges each message over the free 30 a second).

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  KEYS[2] chats delivered            <prefix>broadcast:<id>:delivered (set)
  KEYS[3] chats dropped              <prefix>broadcast:<id>:dropped (hash chat → blocked|failed)
  KEYS[4] the broadcast's recipients <prefix>broadcast:<id>:recipients
  KEYS[5] messages this second       <prefix>broadcast-second (hash: s = the second, n = messages in it)
  ARGV    chatId, 'sent' | 'blocked' | 'failed', free messages per second, retention (seconds)
  Result  0 nothing new, 1 counted, 2 counted and the broadcast is complete
]]
local counted = 0
if ARGV[2] == 'sent' then
  if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
    counted = 1
    local before = redis.call('HGET', KEYS[3], ARGV[1])
    if before then redis.call('HDEL', KEYS[3], ARGV[1]) redis.call('HINCRBY', KEYS[1], before, -1) end
    redis.call('HINCRBY', KEYS[1], 'sent', 1)
    local t = redis.call('TIME')
    local second = redis.call('HMGET', KEYS[5], 's', 'n')
    local n = 1
    if second[1] == t[1] then n = tonumber(second[2]) + 1 end
    redis.call('HSET', KEYS[5], 's', t[1], 'n', n)
    redis.call('EXPIRE', KEYS[5], 2)
    if n > tonumber(ARGV[3]) and redis.call('HEXISTS', KEYS[1], 'paid') == 1 then redis.call('HINCRBY', KEYS[1], 'billed', 1) end
  end
elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 and redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2]) == 1 then
  counted = 1
  redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
end
local f = redis.call('HMGET', KEYS[1], 'state', 'total', 'sent', 'failed', 'blocked')
if f[1] == 'running' and tonumber(f[3]) + tonumber(f[4]) + tonumber(f[5]) >= tonumber(f[2]) then
  local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', now)
  for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[#ARGV]) end
  return 2
end
return counted
