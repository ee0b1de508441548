// Preloaded (node --import) into the bot and worker processes the replica set starts: if the process
// that started them dies without stopping them (a crashed or killed test runner), they exit too, so no
// replica outlives its test. The parent's id changes when it dies (the process is re-parented).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 500).unref();
