/**
 * ClamAV's daemon, spoken to in its own protocol (INSTREAM over a Unix or TCP socket, as
 * `clamdscan --stream` does): the bytes are sent in chunks, each preceded by its length on four
 * bytes (big-endian), and a zero length ends the stream; clamd answers `stream: OK` or
 * `stream: <signature> FOUND`. See clamd(8), « INSTREAM ».
 */
import net from 'node:net';

export type ClamdAddress = { socket: string } | { host: string; port: number };
export type ScanResult = { infected: false } | { infected: true; signature: string };

const CHUNK = 64 * 1024;

/** Scan these bytes; throws when clamd cannot be reached or answers an error (the file stays unscanned). */
export function scanBytes(address: ClamdAddress, bytes: Buffer, timeoutMs = 30_000): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const client = 'socket' in address ? net.createConnection(address.socket) : net.createConnection(address.port, address.host);
    const answer: Buffer[] = [];
    client.setTimeout(timeoutMs, () => client.destroy(new Error('L’antivirus (clamd) ne répond pas.')));
    client.on('error', (error) => reject(new Error(`Antivirus (clamd) injoignable : ${error.message}`)));
    client.on('data', (data) => answer.push(data));
    client.on('end', () => {
      const text = Buffer.concat(answer).toString('utf8').replace(/\0/g, '').trim();
      const found = /^stream: (.+) FOUND$/.exec(text);
      if (text === 'stream: OK') resolve({ infected: false });
      else if (found) resolve({ infected: true, signature: found[1] as string });
      else reject(new Error(`Réponse inattendue de l’antivirus (clamd) : ${text.slice(0, 200)}`));
    });
    client.on('connect', () => {
      client.write('zINSTREAM\0');
      for (let at = 0; at < bytes.length; at += CHUNK) {
        const chunk = bytes.subarray(at, at + CHUNK);
        const size = Buffer.alloc(4);
        size.writeUInt32BE(chunk.length);
        client.write(size);
        client.write(chunk);
      }
      client.end(Buffer.alloc(4));
    });
  });
}

/** clamd's address from the configuration: `CLAMD_SOCKET`, or `CLAMD_HOST` and `CLAMD_PORT`. */
export function clamdAddress(config: { CLAMD_SOCKET?: string | undefined; CLAMD_HOST?: string | undefined; CLAMD_PORT: number }): ClamdAddress {
  return config.CLAMD_HOST ? { host: config.CLAMD_HOST, port: config.CLAMD_PORT } : { socket: config.CLAMD_SOCKET ?? '/var/run/clamav/clamd.ctl' };
}
