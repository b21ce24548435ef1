import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { SECURITY_HEADERS } from '../../scripts/headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A running test server: the built app with the production headers, plus test controls. */
export interface TestServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Serve `body` instead of the file at `path` (e.g. a changed sw.js to simulate an update). */
  override(path: string, body: string): void;
  close(): Promise<void>;
}

/**
 * Serves `dist/` on 127.0.0.1 with the same security headers as `npm start` (vite preview),
 * so that e2e tests see what a learner sees, and can fake a new deployment. `E2E_DIST` names
 * another build folder, so that parallel work on one machine can test its own build.
 */
export async function startStaticServer(
  root = process.env.E2E_DIST ?? 'dist',
): Promise<TestServer> {
  const base = resolve(root);
  const overrides = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const headers = { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' };
    const override = overrides.get(path);
    if (override !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'text/plain' });
      res.end(override);
      return;
    }
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403, headers).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    override: (path, body) => overrides.set(path, body),
    close: () => new Promise((done) => server.close(() => done())),
  };
}
