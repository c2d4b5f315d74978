/**
 * A real `redis-server` for tests: on a free loopback port, with nothing saved to disk. It can be
 * stopped and started again on the same port (the fault tests do), and is killed if the test
 * process exits without stopping it. A machine without redis-server fails the tests that need it,
 * with the command that installs it: never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { freePort } from './free-port.ts';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Stops the server and resolves once it has exited. Its data is gone: nothing is saved. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port; resolves once it answers PING. */
  start(): Promise<void>;
}

const INSTALL_HINT = 'redis-server is not installed; install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).';

/** Starts a redis-server on a free port of 127.0.0.1 and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    async start() {
      if (child) throw new Error(`redis-server on port ${port} is already running.`);
      child = await launch(port);
      const started = child;
      started.once('exit', () => {
        if (child === started) child = null;
      });
    },
    async stop() {
      const running = child;
      if (!running) return;
      const exited = once(running, 'exit');
      running.kill('SIGTERM');
      await exited;
      child = null;
    },
  };
  await server.start();
  return server;
}

async function launch(port: number): Promise<ChildProcess> {
  const args = ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', tmpdir()];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) finish(null);
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      finish(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error);
    };
    const onExit = (code: number | null): void => {
      finish(new Error(`redis-server exited (code ${code}) before it was ready:\n${output.trim()}`));
    };
    const finish = (error: Error | null): void => {
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', onError);
    child.once('exit', onExit);
  });
  child.stdout?.resume(); // keep draining its log so the pipe never fills
  await ping(port);
  return child;
}

/** Resolves when the server on `port` answers PING with PONG. */
async function ping(port: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    socket.write('PING\r\n');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    if (!reply.toString().startsWith('+PONG')) throw new Error(`redis-server on port ${port} answered PING with ${JSON.stringify(reply.toString())}.`);
  } finally {
    socket.destroy();
  }
}
