// LevelDB (classic-level) creates its own files (CURRENT, LOCK, LOG, MANIFEST, tables and logs, new ones at
// every compaction, from its own threads) with mode 0644 less the process umask, and takes no mode to use
// instead. So while a journal is open the process umask also masks group and other bits (077 added to the
// operator's, never taken from it); when the last journal closes, the operator's umask is put back.
const PRIVATE_MASK = 0o077;

let holders = 0;
let saved = 0;

/** Makes files created from now on private to the bot's user; the returned function undoes it (once). */
export function holdPrivateUmask(): () => void {
  if (holders === 0) {
    // process.umask() without an argument is deprecated (it sets and resets): read it by setting it.
    saved = process.umask(PRIVATE_MASK);
    process.umask(saved | PRIVATE_MASK);
  }
  holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) process.umask(saved);
  };
}
