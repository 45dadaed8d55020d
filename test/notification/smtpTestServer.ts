/** A real SMTP server (smtp-server) on 127.0.0.1 for the e-mail tests: records what it receives, can refuse or stall. */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** The test CA: the server's self-signed certificate for localhost and 127.0.0.1. */
export const TEST_CA = readFileSync(join(__dirname, 'fixtures/localhost-cert.pem'), 'utf8');
const TEST_KEY = readFileSync(join(__dirname, 'fixtures/localhost-key.pem'), 'utf8');

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  secure: boolean;
  mail: ParsedMail;
  /** When the server took the message (Date.now() of this process: the same clock as the vendor fakes' `at`). */
  at: number;
}

export interface SmtpTestServerOptions {
  /** Require this login (over STARTTLS); no AUTH at all when unset. */
  auth?: { user: string; password: string };
  /** Offer STARTTLS with the test certificate; plain text only when false. */
  startTls?: boolean;
  /** Refuse every RCPT TO with this reply. */
  refuseRecipient?: { code: number; message: string };
}

export interface RunningSmtpServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<RunningSmtpServer> {
  const received: ReceivedMail[] = [];
  const { auth, refuseRecipient } = options;
  const startTls = options.startTls ?? true;
  const server = new SMTPServer({
    logger: false,
    key: TEST_KEY,
    cert: TEST_CA,
    disabledCommands: [...(auth === undefined ? ['AUTH'] : []), ...(startTls ? [] : ['STARTTLS'])],
    authOptional: auth === undefined,
    onAuth(login, _session, callback) {
      if (auth !== undefined && login.username === auth.user && login.password === auth.password) return callback(null, { user: login.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (refuseRecipient) return callback(Object.assign(new Error(refuseRecipient.message), { responseCode: refuseRecipient.code }));
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({
          at: Date.now(),
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
          mail,
        });
        callback();
      }, callback);
    },
  });
  const port = await listen(server.server, () => server.listen(0, '127.0.0.1'));
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A server that accepts connections and never says a word: the client must give up on its own. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, () => server.listen(0, '127.0.0.1'));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, start: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('the test server has no TCP port'));
      resolve(address.port);
    });
    start();
  });
}
