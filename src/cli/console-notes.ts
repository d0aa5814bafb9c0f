// TF.js writes to the console on its own: the "Hi, looks like you are running TensorFlow.js in
// Node.js" banner, "The shape of the input tensor … does not match" for every clone it builds.
// During `check` those lines would interleave with the progress on stderr, seven times over; they
// go into the report's notes instead, once each with a count. The console is the process's:
// captured only while the checkup runs, and given back as it was.

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export interface ConsoleCapture {
  /** The captured lines, each once, in first-seen order ("… (7 times)" when repeated). */
  notes(): string[];
  /** Gives the console its own methods back. Idempotent. */
  restore(): void;
}

export function captureConsole(target: Console = console): ConsoleCapture {
  const saved = METHODS.map((m) => [m, target[m]] as const);
  const counts = new Map<string, number>();
  for (const m of METHODS) {
    target[m] = (...args: unknown[]) => {
      // The banner is framed in "=====" lines; what it says is the text between them.
      const text = args
        .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : String(a)))
        .join(' ')
        .split('\n')
        .filter((l) => !/^\s*=+\s*$/.test(l))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
    };
  }
  let restored = false;
  return {
    notes: () => [...counts].map(([text, n]) => `TF.js: ${text}${n > 1 ? ` (${n} times)` : ''}`),
    restore() {
      if (restored) return;
      restored = true;
      for (const [m, fn] of saved) target[m] = fn;
    },
  };
}
