// Owns the end-to-end check of the dev IdP: starts server.mjs on a free loopback port, drives real code+PKCE flows, stops it.
// Must never talk to anything but 127.0.0.1, and never leave the IdP process running after it exits.

import { spawn } from 'node:child_process';
import {
  createHash, createPublicKey, randomBytes, verify,
} from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const CLIENT_ID = 'login-bridge';
const CLIENT_SECRET = 'dev-secret';
// Two URIs so the comma-separated IDP_REDIRECT_URIS parsing is exercised; nothing listens on them,
// the test stops at the redirect and reads the Location header.
const REDIRECT_URI = 'http://127.0.0.1:3999/callback/devidp';
const OTHER_REDIRECT_URI = 'http://127.0.0.1:3998/callback/other';

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   - ${name}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL - ${name}\n       ${err.stack || err}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function assertEq(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startIdp(port) {
  const child = spawn(process.execPath, [SERVER], {
    env: {
      // A developer's exported IDP_* settings must not change what this test expects.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IDP_'))),
      IDP_PORT: String(port),
      IDP_REDIRECT_URIS: `${OTHER_REDIRECT_URI}, ${REDIRECT_URI}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`IdP did not start in time\n${stderr}`)), 15000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^dev IdP listening on (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`IdP exited early with ${code}\n${stderr}`));
    });
  });
  return { child, ready, stderr: () => stderr };
}

// Just enough of a browser cookie jar: name+path keyed, path-prefix matching, deletion on expiry.
// It lets the test notice if the IdP scoped a cookie to the wrong path.
class CookieJar {
  #cookies = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url) {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  names() {
    return [...new Set([...this.#cookies.values()].map((c) => c.name))];
  }
}

class Browser {
  constructor(issuer) {
    this.issuer = issuer;
    this.jar = new CookieJar();
  }

  async request(url, { method = 'GET', form } = {}) {
    const absolute = new URL(url, this.issuer).href;
    const headers = { cookie: this.jar.header(absolute) };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(absolute, { method, headers, body, redirect: 'manual' });
    this.jar.store(response);
    const text = await response.text();
    return {
      url: absolute,
      status: response.status,
      location: response.headers.get('location'),
      headers: response.headers,
      text,
    };
  }

  // Follows IdP-internal redirects until a page is shown or the client's redirect_uri is reached.
  async follow(res) {
    let current = res;
    for (let hops = 0; hops < 10; hops += 1) {
      if (current.status < 300 || current.status >= 400) return current;
      const next = new URL(current.location, current.url);
      if (!next.href.startsWith(this.issuer)) return current;
      current = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }
}

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authUrl(issuer, { state, nonce, challenge, scope = 'openid email profile' }) {
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    nonce,
  });
  if (challenge) {
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', 'S256');
  }
  return `${issuer}/auth?${q}`;
}

// Drives login and consent like a person would; returns the final redirect to the client.
async function signIn(issuer, { email, password = 'password', decision = 'allow' }) {
  const browser = new Browser(issuer);
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const pkce = pkcePair();

  const login = await browser.follow(await browser.request(authUrl(issuer, { state, nonce, challenge: pkce.challenge })));
  assertEq(login.status, 200, 'login page status');
  assert(login.text.includes('name="email"') && login.text.includes('name="password"'), 'login form fields missing');
  assert(/<button[^>]*>Sign in<\/button>/.test(login.text), 'Sign in button missing');

  const consent = await browser.follow(await browser.request(login.url, { method: 'POST', form: { email, password } }));
  assertEq(consent.status, 200, 'consent page status');
  assert(/>Allow<\/button>/.test(consent.text) && />Deny<\/button>/.test(consent.text), 'consent buttons missing');
  assert(consent.text.includes('Login Bridge'), 'consent page does not name the client');

  const back = await browser.follow(await browser.request(consent.url, { method: 'POST', form: { decision } }));
  assertEq(back.status, 303, 'final redirect status');
  assert(back.location.startsWith(`${REDIRECT_URI}?`), `redirected to ${back.location}, not to the redirect_uri`);
  return { browser, state, nonce, pkce, params: new URL(back.location).searchParams };
}

async function exchange(issuer, code, verifier, { secret = CLIENT_SECRET } = {}) {
  const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(secret)}`).toString('base64');
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier,
    }),
  });
  return { status: response.status, body: await response.json() };
}

function decodeAndVerify(idToken, jwks) {
  const [h, p, s] = idToken.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  assertEq(header.alg, 'RS256', 'id_token alg');
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert(jwk, `no JWKS key for kid ${header.kid}`);
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  assert(ok, 'id_token signature does not verify against the JWKS');
  return payload;
}

async function fullFlow(issuer, jwks, account) {
  const { browser, state, nonce, pkce, params } = await signIn(issuer, { email: account.email });
  assertEq(params.get('state'), state, 'state');
  assertEq(params.get('iss'), issuer, 'iss response parameter');
  const code = params.get('code');
  assert(code, 'no code in redirect');

  const cookieNames = browser.jar.names();
  assert(cookieNames.every((n) => n.startsWith('idp_')), `IdP set cookies outside its idp_ prefix: ${cookieNames}`);
  assert(cookieNames.includes('idp_session'), `no idp_session cookie: ${cookieNames}`);

  const token = await exchange(issuer, code, pkce.verifier);
  assertEq(token.status, 200, `token endpoint status (${JSON.stringify(token.body)})`);
  assertEq(token.body.token_type, 'Bearer', 'token_type');
  assert(token.body.access_token && token.body.id_token, 'token response lacks access_token or id_token');

  const claims = decodeAndVerify(token.body.id_token, jwks);
  assertEq(claims.iss, issuer, 'id_token iss');
  assertEq(claims.aud, CLIENT_ID, 'id_token aud');
  assertEq(claims.nonce, nonce, 'id_token nonce');
  for (const k of ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name']) {
    assertEq(claims[k], account[k], `id_token ${k}`);
  }

  const userinfo = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${token.body.access_token}` } });
  assertEq(userinfo.status, 200, 'userinfo status');
  const info = await userinfo.json();
  for (const k of ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name']) {
    assertEq(info[k], account[k], `userinfo ${k}`);
  }

  // A code is single-use: replay must fail even with the right verifier.
  const replay = await exchange(issuer, code, pkce.verifier);
  assertEq(replay.body.error, 'invalid_grant', 'replayed code');
  return claims;
}

async function main() {
  const port = await freePort();
  const expectedIssuer = `http://127.0.0.1:${port}`;
  const idp = startIdp(port);
  let exitCode = 1;
  try {
    const issuer = await idp.ready;
    console.log(`# dev IdP started at ${issuer} (pid ${idp.child.pid})`);
    let jwks;

    await check('issuer defaults to http://127.0.0.1:$IDP_PORT', () => assertEq(issuer, expectedIssuer, 'issuer'));

    await check('discovery document advertises code + PKCE S256 + client_secret_basic', async () => {
      const d = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
      assertEq(d.issuer, issuer, 'issuer');
      assert(d.code_challenge_methods_supported.includes('S256'), 'S256 missing');
      assertEq(JSON.stringify(d.response_types_supported), '["code"]', 'response_types_supported');
      assertEq(JSON.stringify(d.token_endpoint_auth_methods_supported), '["client_secret_basic"]', 'token auth methods');
      assertEq(JSON.stringify(d.id_token_signing_alg_values_supported), '["RS256"]', 'id_token algs');
      for (const s of ['openid', 'email', 'profile']) assert(d.scopes_supported.includes(s), `scope ${s} missing`);
      assertEq(d.jwks_uri, `${issuer}/jwks`, 'jwks_uri');
    });

    await check('JWKS has one public RS256 key with a kid and no private members', async () => {
      jwks = await (await fetch(`${issuer}/jwks`)).json();
      assertEq(jwks.keys.length, 1, 'key count');
      const [k] = jwks.keys;
      assertEq(k.kty, 'RSA', 'kty');
      assertEq(k.alg, 'RS256', 'alg');
      assert(k.kid, 'kid missing');
      for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert(!(priv in k), `private member ${priv} exposed`);
    });

    await check('authorization without PKCE is refused', async () => {
      const b = new Browser(issuer);
      const res = await b.request(authUrl(issuer, { state: 'no-pkce', nonce: 'n' }));
      const loc = new URL(res.location);
      assert(loc.href.startsWith(REDIRECT_URI), `expected redirect to client, got ${res.location}`);
      assertEq(loc.searchParams.get('error'), 'invalid_request', 'error');
    });

    await check('unregistered redirect_uri is refused on an IdP page, not redirected', async () => {
      const b = new Browser(issuer);
      const url = authUrl(issuer, { state: 's', nonce: 'n', challenge: pkcePair().challenge })
        .replace(encodeURIComponent(REDIRECT_URI), encodeURIComponent('http://127.0.0.1:3999/evil'));
      const res = await b.request(url);
      assertEq(res.status, 400, 'status');
      assert(res.text.includes('redirect_uri'), 'error page does not mention redirect_uri');
    });

    await check('wrong password re-shows the form with "Invalid email or password"', async () => {
      const b = new Browser(issuer);
      const pkce = pkcePair();
      const login = await b.follow(await b.request(authUrl(issuer, { state: 's', nonce: 'n', challenge: pkce.challenge })));
      const again = await b.request(login.url, { method: 'POST', form: { email: 'alice@example.com', password: 'nope' } });
      assertEq(again.status, 200, 'status');
      assert(again.text.includes('Invalid email or password'), 'error text missing');
      assert(again.text.includes('value="alice@example.com"'), 'email not kept in the form');
      const unknown = await b.request(login.url, { method: 'POST', form: { email: 'mallory@example.com', password: 'password' } });
      assert(unknown.text.includes('Invalid email or password'), 'unknown email not refused the same way');
    });

    const accounts = [
      { sub: 'u-alice-7f3a', email: 'alice@example.com', email_verified: true, name: 'Alice Example', given_name: 'Alice', family_name: 'Example' },
      { sub: 'u-bob-19c2', email: 'bob@example.com', email_verified: true, name: 'Bob Portal', given_name: 'Bob', family_name: 'Portal' },
      { sub: 'u-carol-5d10', email: 'carol@example.com', email_verified: true, name: 'Carol Nobody', given_name: 'Carol', family_name: 'Nobody' },
      { sub: 'u-dave-0b77', email: 'dave@example.com', email_verified: false, name: 'Dave Unverified', given_name: 'Dave', family_name: 'Unverified' },
    ];
    for (const account of accounts) {
      await check(`code + PKCE flow for ${account.email}: signed id_token claims, nonce, userinfo, no code replay`, async () => {
        const claims = await fullFlow(issuer, jwks, account);
        console.log(`       id_token: ${JSON.stringify({
          sub: claims.sub, email: claims.email, email_verified: claims.email_verified, name: claims.name, nonce: claims.nonce,
        })}`);
      });
    }

    await check('Deny returns error=access_denied with state to the redirect_uri', async () => {
      const { state, params } = await signIn(issuer, { email: 'alice@example.com', decision: 'deny' });
      assertEq(params.get('error'), 'access_denied', 'error');
      assertEq(params.get('error_description'), 'The user denied the request', 'error_description');
      assertEq(params.get('state'), state, 'state');
      assert(!params.has('code'), 'a code was issued despite Deny');
    });

    await check('wrong code_verifier and wrong client secret are rejected at the token endpoint', async () => {
      const { params, pkce } = await signIn(issuer, { email: 'bob@example.com' });
      const badSecret = await exchange(issuer, params.get('code'), pkce.verifier, { secret: 'wrong' });
      assertEq(badSecret.body.error, 'invalid_client', 'wrong secret');
      const badVerifier = await exchange(issuer, params.get('code'), pkcePair().verifier);
      assertEq(badVerifier.body.error, 'invalid_grant', 'wrong verifier');
    });

    await check('IdP pages are self-contained, English, titled and labelled', async () => {
      const b = new Browser(issuer);
      const login = await b.follow(await b.request(authUrl(issuer, { state: 's', nonce: 'n', challenge: pkcePair().challenge })));
      assert(login.text.includes('<html lang="en">'), 'lang missing');
      assert(/<title>[^<]+<\/title>/.test(login.text), 'title missing');
      assert(login.text.includes('<label for="email">Email</label>'), 'Email label missing');
      assert(login.text.includes('<label for="password">Password</label>'), 'Password label missing');
      assert(!/(src|href)="https?:/.test(login.text) && !login.text.includes('@import'), 'external asset referenced');
      assert(login.headers.get('content-security-policy')?.includes("default-src 'none'"), 'CSP missing');
    });

    await check('SIGTERM stops the IdP cleanly', async () => {
      const exited = new Promise((resolve) => idp.child.once('exit', (code, signal) => resolve({ code, signal })));
      idp.child.kill('SIGTERM');
      const { code } = await exited;
      assertEq(code, 0, 'exit code');
    });
  } catch (err) {
    console.log(`FAIL - setup\n       ${err.stack || err}`);
    results.push({ name: 'setup', ok: false });
  } finally {
    if (idp.child.exitCode === null && idp.child.signalCode === null) idp.child.kill('SIGKILL');
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    if (failed) console.log(`# IdP stderr:\n${idp.stderr()}`);
    console.log(`${passed} passed, ${failed} failed`);
    exitCode = failed ? 1 : 0;
  }
  process.exitCode = exitCode;
}

main();
