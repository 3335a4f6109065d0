import pino from 'pino';

/**
 * Pino logger. Redaction keeps personal data and secrets out of logs (DP-13):
 * request bodies are never logged, and cookies and authorisation headers are censored.
 */
export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.email', '*.phone'],
      censor: '[masqué]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;
