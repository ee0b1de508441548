--[[
  Records a new broadcast, once: an id already recorded is left as it is.

  KEYS[1] the broadcast's hash       <prefix>broadcast:<id>
  KEYS[2] the index of broadcasts    <prefix>broadcasts (sorted set by creation time)
  ARGV    id, createdBy, createdAt (ms), scheduledAt (ms or ''), expiresAt (ms or ''), content (JSON),
          audience (JSON), progress (JSON or ''), paid ('1': sent as a paid broadcast, counting billed messages)
  Result  1 created, 0 the id exists
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdBy', ARGV[2], 'state', 'scheduled', 'createdAt', ARGV[3],
  'total', 0, 'sent', 0, 'failed', 0, 'blocked', 0, 'content', ARGV[6], 'audience', ARGV[7])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'scheduledAt', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'expiresAt', ARGV[5]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'progress', ARGV[8]) end
if ARGV[9] == '1' then redis.call('HSET', KEYS[1], 'paid', 1, 'billed', 0) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
