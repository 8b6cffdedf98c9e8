/**
 * Preloaded (`node --import`) into every process talad starts. Children run in their own process
 * group so that Ctrl-C reaches talad alone; if talad itself dies without stopping them (SIGKILL,
 * a crash), this notices that the parent is gone and stops the process the normal way (SIGTERM,
 * so the service still shuts down gracefully). Nothing else in the child changes.
 */
const parent = Number(process.env['TALAD_PARENT_PID']);

if (Number.isInteger(parent) && parent > 0) {
  const check = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(check);
    process.kill(process.pid, 'SIGTERM');
    // A process that ignores SIGTERM must still not outlive talad for long.
    setTimeout(() => process.exit(1), 15_000).unref();
  }, 1_000);
  // The guard must never be what keeps a finished process alive.
  check.unref();
}
