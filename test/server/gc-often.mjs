// Loaded into a test's server process (NODE_OPTIONS="--expose-gc --import …"): a full
// garbage collection every 100 ms, so that memory samples show what the server retains,
// not the garbage V8 has not yet got round to (it defers major collections while
// memory is plentiful, and resident memory then climbs without any leak).
if (typeof globalThis.gc === 'function') setInterval(() => globalThis.gc(), 100).unref();
