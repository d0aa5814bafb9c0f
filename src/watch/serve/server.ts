// The live page: a local HTTP server (127.0.0.1 by default) with three routes — the page, its
// script, and an event stream. Updates go out as server-sent events through better-sse (MIT, no
// dependencies, spec-compliant framing, keep-alive comments and per-client sessions): SSE fits a
// one-way feed of state snapshots, browsers reconnect by themselves, and it needs no upgrade
// handshake as WebSocket (`ws`) would. Each update carries the whole state (status, findings,
// plots), so a client that connects late or reconnects needs no history.
//
// The plots are the report's own (Observable Plot → SVG, src/render/html/plots), drawn on the
// server from the evidence so far, at most every `renderEveryMs` and only while someone watches:
// rendering runs on the training thread when the TF.js watcher serves the page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Channel, createChannel, createSession } from 'better-sse';
import { UsageError } from '../../core/errors.ts';
import type { Report } from '../../core/report.ts';
import { LIVE_SCRIPT } from './client-script.ts';
import { HEADER_CSP, livePage } from './page.ts';
import { pageState } from './state.ts';

export interface ServeOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the page shows your run to anyone who can reach the port. */
  host?: string;
  /** Title of the page (e.g. the model or log directory). */
  title?: string;
  /** Least time between two renders of the plots (default 1000 ms). */
  renderEveryMs?: number;
}

export interface LiveServer {
  /** http://host:port/ */
  readonly url: string;
  /** Hands the server the latest report (built lazily, only when a render is due and someone watches). */
  publish(report: () => Report, phase?: 'watching' | 'finished'): void;
  /** Clients connected now. */
  readonly clients: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': HEADER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export async function serveLive(options: ServeOptions = {}): Promise<LiveServer> {
  const host = options.host ?? '127.0.0.1';
  const renderEveryMs = options.renderEveryMs ?? 1000;
  const channel: Channel = createChannel();
  let latest: { report: () => Report; phase: 'watching' | 'finished' } | null = null;
  let lastJson: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastRender = 0;
  let allowedHosts = new Set<string>();

  const render = () => {
    timer = null;
    if (!latest) return;
    lastRender = Date.now();
    lastJson = JSON.stringify(pageState(latest.report(), latest.phase));
    channel.broadcast(lastJson, 'state');
  };
  const schedule = () => {
    if (timer || channel.sessionCount === 0) return;
    const wait = Math.max(0, lastRender + renderEveryMs - Date.now());
    timer = setTimeout(render, latest?.phase === 'finished' ? 0 : wait);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A page on another origin must not read the run through a rebound DNS name.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
      res.end(livePage(options.title ?? 'nn-doctor watch'));
    } else if (path === '/live.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS });
      res.end(LIVE_SCRIPT);
    } else if (path === '/events') {
      // Snapshots are serialized once per render, not once per client: the data is already JSON.
      const session = await createSession(req, res, {
        headers: SECURITY_HEADERS,
        keepAlive: 10_000,
        serializer: (data) => String(data),
      });
      channel.register(session);
      if (lastJson) session.push(lastJson, 'state');
      if (!lastJson || Date.now() - lastRender > renderEveryMs) schedule();
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('not found\n');
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        new UsageError(
          `--serve: cannot listen on ${host}:${options.port ?? 0} (${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message})`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${shown}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);

  return {
    url: `http://${shown}:${port}/`,
    publish(report, phase = 'watching') {
      latest = { report, phase };
      lastJson = lastJson && phase === 'finished' ? null : lastJson;
      schedule();
    },
    get clients() {
      return channel.sessionCount;
    },
    async close() {
      if (timer) clearTimeout(timer);
      if (latest?.phase === 'finished' && channel.sessionCount > 0) {
        render();
        // Pages close their stream on the finished state; give them a moment before cutting it.
        const until = Date.now() + 1000;
        while (channel.sessionCount > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      }
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
