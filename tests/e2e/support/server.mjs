// Starts a real seatgate-server (demo mode, serving web-demo/, its own
// embedded redis-server, --ephemeral: each run starts empty and leaves no data
// directory behind) on a free port, and stops it. The server prints JSON
// log lines: {"msg":"listening","port":N} then {"msg":"ready"}.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { repoRoot } from './fake.mjs';

export function serverBinary() {
  const candidates = [
    process.env.SEATGATE_SERVER_BIN,
    path.join(repoRoot, 'build/server/seatgate-server'),
    path.join(repoRoot, 'build-e2e/server/seatgate-server'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`seatgate-server not found (tried ${candidates.join(', ')}); build it or set SEATGATE_SERVER_BIN`);
  }
  return found;
}

// rateLimits: false turns the server's per-user and per-IP rate limits off
// (the suite sends many requests from 127.0.0.1); true keeps its defaults.
// extraArgs: more flags for the server.
export async function startServer({ webRoot = path.join(repoRoot, 'web-demo'), logFile, rateLimits = false,
  extraArgs = [] } = {}) {
  const adminToken = crypto.randomBytes(24).toString('hex');
  const jwtSecret = crypto.randomBytes(32).toString('hex');
  const env = {
    ...process.env,
    SEATGATE_JWT_SECRET: jwtSecret,
    SEATGATE_ADMIN_TOKEN: adminToken,
  };
  const bin = serverBinary();
  const args = ['--demo', '--ephemeral', '--web-root', webRoot, '--listen', '127.0.0.1:0', '--threads', '2'];
  if (!rateLimits) args.push('--user-rate-limit', '0', '--ip-rate-limit', '0');
  args.push(...extraArgs);
  const child = spawn(bin, args, {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? fs.createWriteStream(logFile) : null;
  const lines = [];
  let port = 0;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`seatgate-server not ready in 30 s:\n${lines.slice(-20).join('\n')}`)), 30_000);
    const onLine = (line) => {
      lines.push(line);
      log?.write(`${line}\n`);
      let j;
      try {
        j = JSON.parse(line);
      } catch {
        return;
      }
      if (j.msg === 'listening' && j.port) port = j.port;
      if (j.msg === 'ready' && port) {
        clearTimeout(timer);
        resolve();
      }
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`seatgate-server exited (${code ?? signal}) before ready:\n${lines.slice(-20).join('\n')}`));
    });
    child.once('error', reject);
  });
  await ready;
  const baseUrl = `http://127.0.0.1:${port}`;

  async function admin(method, urlPath, body) {
    const res = await fetch(baseUrl + urlPath, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    log?.end();
  }

  // A user token from the demo login (valid for an hour).
  async function userToken(user) {
    const res = await fetch(`${baseUrl}/v1/demo/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user }),
    });
    if (!res.ok) throw new Error(`POST /v1/demo/token: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()).token;
  }

  return {
    baseUrl,
    lines,
    stop,
    userToken,
    expiredToken: (user) => expiredJwt(user, jwtSecret),
    putEvent: (id, config) => admin('PUT', `/v1/admin/events/${id}`, config),
    audit: (id) => admin('GET', `/v1/admin/events/${id}/audit`),
  };
}

// An HS256 token for `user`, signed with the server's secret, that expired a minute ago.
export function expiredJwt(user, secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user, iat: now - 120, exp: now - 60 })}`;
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
}
