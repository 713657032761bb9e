/**
 * Preloaded (`--import`) into a crank process spawned "warm" by crank-process.ts: it loads the
 * CLI's whole module graph (the seconds of a start-up), says "courier loaded" on stderr, and lets
 * the process go on to `courier start` only once a line "go" arrives on stdin. The CLI then finds
 * its modules cached, so a replacement process is working a moment after it is told to, however
 * busy the machine is. Loading has no side effects (only cli.ts has one), so nothing runs early.
 */
await import(new URL("../../apps/courier/src/cli/program.ts", import.meta.url).href);
process.stderr.write("courier loaded\n");
await new Promise((resolve) => {
  let buf = "";
  const onData = (d) => {
    buf += String(d);
    if (!buf.includes("go")) return;
    process.stdin.off("data", onData);
    // Let go of stdin: it must not keep the process alive or be read by anything else.
    process.stdin.pause();
    process.stdin.unref?.();
    resolve();
  };
  process.stdin.on("data", onData);
});
