// Demo login: the site, not seatgate, issues user tokens. In demo mode the
// server offers POST /v1/demo/token for that. The session lives in
// sessionStorage, so each tab (or browser profile) can be a different buyer.

const KEY = 'seatgate-demo-session';

export function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!s?.token || !s?.user) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now() + 30_000) return null;
    return s;
  } catch {
    return null;
  }
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export async function login(baseUrl, user) {
  let res;
  try {
    res = await fetch(`${baseUrl}/v1/demo/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
  } catch {
    throw new Error("We can't reach the box office. Check your connection and try again.");
  }
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.token) {
    if (res.status === 404) throw new Error('Demo logins are switched off on this server (start it with --demo).');
    throw new Error(body?.detail ?? body?.title ?? `Login failed (HTTP ${res.status}).`);
  }
  const session = { token: body.token, user: body.user ?? user, expires_at: body.expires_at ?? null };
  if (typeof session.expires_at === 'number') session.expires_at = new Date(session.expires_at * 1000).toISOString();
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}
