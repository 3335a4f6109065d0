/** A one-line progress bar for the terminal (plain lines when not a TTY). */
export function progressBar(label: string) {
  const tty = process.stdout.isTTY;
  let lastPercent = -1;
  return {
    update(done: number, total: number) {
      const percent = total ? Math.floor((done / total) * 100) : 100;
      if (percent === lastPercent) return;
      lastPercent = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent} % (${done}/${total})`;
      if (tty) process.stdout.write(`\r${line}`);
      else if (percent % 10 === 0) console.log(line);
    },
    done() {
      if (tty) process.stdout.write('\n');
    },
  };
}

/**
 * A phase without a measurable progress (one SQL statement): its label and the seconds elapsed,
 * refreshed every second on a terminal, so the screen never sits still; `done()` prints the time taken.
 */
export function phaseTicker(label: string) {
  const tty = process.stdout.isTTY;
  const start = performance.now();
  const seconds = () => Math.round((performance.now() - start) / 1000);
  if (tty) process.stdout.write(`${label} 0 s`);
  else console.log(label);
  const timer = tty ? setInterval(() => process.stdout.write(`\r${label} ${seconds()} s`), 1000) : null;
  timer?.unref();
  return {
    done() {
      if (timer) clearInterval(timer);
      if (tty) process.stdout.write(`\r${label} ${seconds()} s — fait\n`);
      else console.log(`${label} fait en ${seconds()} s`);
    },
  };
}
