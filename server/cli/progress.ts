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
