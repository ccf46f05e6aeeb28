// Owns the dev OpenID provider for demos and browser tests: configuration, keys, and the login/consent interaction routes.
// Must never bind anything but 127.0.0.1, never persist keys or sessions, and never be used outside development.

import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

import Provider, { errors } from 'oidc-provider';

import { authenticate, claimsOf, findBySub } from './accounts.mjs';
import {
  consentPage, errorPage, loggedOutPage, loginPage, logoutPage,
} from './views.mjs';

const HOST = '127.0.0.1';
const FORM_LIMIT_BYTES = 8 * 1024;

// Our own pages have no scripts and no external assets; frame-ancestors stops clickjacking the
// consent buttons. No form-action: Chrome applies it to the redirect chain back to the client.
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function configFromEnv(env = process.env) {
  const port = Number.parseInt(env.IDP_PORT ?? '9000', 10);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`IDP_PORT must be a port number, got ${JSON.stringify(env.IDP_PORT)}`);
  }
  const issuer = env.IDP_ISSUER || `http://${HOST}:${port}`;
  // Routes are served from the root, so an issuer with a path would advertise endpoints that 404.
  if (new URL(issuer).pathname !== '/') {
    throw new Error(`IDP_ISSUER must not have a path, got ${issuer}`);
  }
  const redirectUris = (env.IDP_REDIRECT_URIS || 'http://127.0.0.1:3000/callback/devidp')
    .split(',').map((s) => s.trim()).filter(Boolean);
  const postLogoutRedirectUris = env.IDP_POST_LOGOUT_REDIRECT_URIS
    ? env.IDP_POST_LOGOUT_REDIRECT_URIS.split(',').map((s) => s.trim()).filter(Boolean)
    // The app's home page, and the bridge's /logout/done (RP-initiated logout comes back there).
    : [...new Set(redirectUris.flatMap((u) => [`${new URL(u).origin}/`, `${new URL(u).origin}/logout/done`]))];
  // Back-Channel Logout: the bridge's endpoint for the provider id of the first redirect URI
  // (`{origin}/callback/{id}` → `{origin}/logout/backchannel/{id}`); "none" turns it off.
  const fromCallback = /^(.*)\/callback\/([^/]+)$/.exec(redirectUris[0] || '');
  const backchannelLogoutUri = env.IDP_BACKCHANNEL_LOGOUT_URI === 'none'
    ? undefined
    : env.IDP_BACKCHANNEL_LOGOUT_URI || (fromCallback ? `${fromCallback[1]}/logout/backchannel/${fromCallback[2]}` : undefined);
  return {
    port,
    issuer,
    clientId: env.IDP_CLIENT_ID || 'login-bridge',
    clientSecret: env.IDP_CLIENT_SECRET || 'dev-secret',
    redirectUris,
    postLogoutRedirectUris,
    backchannelLogoutUri,
  };
}

// A fresh key per start: tokens from a previous run must not verify, just like after a real key rotation.
function signingJwk() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint as kid, so the kid changes exactly when the key does.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { ...jwk, kid: thumbprint, alg: 'RS256', use: 'sig' };
}

function providerConfiguration(cfg) {
  return {
    clients: [{
      client_id: cfg.clientId,
      client_secret: cfg.clientSecret,
      client_name: 'Login Bridge',
      redirect_uris: cfg.redirectUris,
      post_logout_redirect_uris: cfg.postLogoutRedirectUris,
      // Ending the session here POSTs a signed logout token (with sub and sid) to the bridge.
      ...(cfg.backchannelLogoutUri
        ? { backchannel_logout_uri: cfg.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    clientAuthMethods: ['client_secret_basic'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    jwks: { keys: [signingJwk()] },

    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    // The app reads identity from the ID token alone; it must not need a userinfo round trip.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      const account = findBySub(sub);
      if (!account) return undefined;
      return { accountId: account.sub, claims: async () => claimsOf(account) };
    },

    // Browsers share cookies across ports on one host: these names must not collide with the
    // app's lb_* cookies or Odoo's session_id, and the default `_session` is too generic.
    cookies: {
      names: { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_resume' },
      // Random per start: sessions live in memory and die with the process anyway.
      keys: [randomBytes(32).toString('base64url')],
    },

    interactions: { url: async (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = logoutPage({ host: ctx.host, form });
        },
        async postLogoutSuccessSource(ctx) {
          const client = ctx.oidc.client;
          ctx.type = 'html';
          ctx.body = loggedOutPage({ clientName: client?.clientName || client?.clientId });
        },
      },
    },
    // The only outgoing calls are back-channel logout tokens to clients on 127.0.0.1, which
    // oidc-provider's SSRF guard (special-use addresses) refuses; lifted for loopback URLs only.
    async fetch(url, options) {
      const { hostname } = new URL(url);
      if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') {
        const { dispatcher, ...direct } = options;
        return globalThis.fetch(url, direct);
      }
      return globalThis.fetch(url, options);
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage({ message: out.error_description || out.error, details: out });
    },

    // Short enough that a stale tab fails fast in a test, long enough for a person in a demo.
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 10 * 60,
      IdToken: 10 * 60,
      Interaction: 15 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
  };
}

function sendPage(res, status, html) {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

// Hand-rolled on purpose: one urlencoded form with two or three fields does not justify a body-parser dependency.
async function readForm(req) {
  const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw Object.assign(new Error('expected a urlencoded form'), { status: 415 });
  }
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw Object.assign(new Error('form too large'), { status: 413 });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function handleInteraction(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  // The cookie, not the URL, names the interaction; a mismatch means a stale or foreign tab.
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction uid mismatch');

  const { prompt, params } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client?.clientName || params.client_id;

  if (prompt.name === 'login') {
    if (req.method === 'GET') {
      sendPage(res, 200, loginPage({ clientName, email: params.login_hint || '' }));
      return;
    }
    const form = await readForm(req);
    const account = authenticate(form.get('email'), form.get('password'));
    if (!account) {
      sendPage(res, 200, loginPage({ clientName, email: form.get('email') || '', error: true }));
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: account.sub, amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    return;
  }

  if (prompt.name === 'consent') {
    const accountId = details.session?.accountId;
    const account = accountId && findBySub(accountId);
    if (!account) throw new errors.SessionNotFound('consent without a signed-in account');

    if (req.method === 'GET') {
      const requested = String(params.scope || '').split(' ').filter(Boolean);
      sendPage(res, 200, consentPage({ clientName, accountEmail: account.email, scopes: requested }));
      return;
    }
    const decision = (await readForm(req)).get('decision');
    if (decision === 'deny') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'The user denied the request',
      }, { mergeWithLastSubmission: false });
      return;
    }
    if (decision !== 'allow') {
      sendPage(res, 400, errorPage({ title: 'Bad request', message: 'Choose Allow or Deny.' }));
      return;
    }
    // Grant exactly what the provider says is still missing, so a later request for more scopes asks again.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, {
      consent: details.grantId ? {} : { grantId },
    }, { mergeWithLastSubmission: true });
    return;
  }

  throw new Error(`unsupported prompt ${prompt.name}`);
}

export async function startIdp(cfg = configFromEnv()) {
  const provider = new Provider(cfg.issuer, providerConfiguration(cfg));

  // Client-side protocol errors are normal in tests; a line on stderr makes a failing test explain itself.
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'end_session.error', 'backchannel.error']) {
    provider.on(event, (ctx, err) => {
      console.error(`dev IdP ${event}: ${err.error || err.name}: ${err.error_description || err.message}`);
    });
  }
  provider.on('server_error', (ctx, err) => console.error('dev IdP server_error:', err));

  const oidc = provider.callback();
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, cfg.issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(pathname);
    if (!match) {
      oidc(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    handleInteraction(provider, req, res, match[1]).catch((err) => {
      if (res.headersSent) {
        res.destroy(err);
      } else if (err instanceof errors.SessionNotFound) {
        sendPage(res, 400, errorPage({
          title: 'Sign-in expired',
          message: 'This sign-in request has expired or is no longer valid. Go back to the application and start again.',
        }));
      } else if (err.status === 413 || err.status === 415) {
        sendPage(res, err.status, errorPage({ title: 'Bad request', message: err.message }));
      } else {
        console.error('dev IdP interaction error:', err);
        sendPage(res, 500, errorPage({ message: 'The identity provider failed to handle this step.' }));
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, HOST, resolve);
  });

  return {
    provider,
    server,
    issuer: cfg.issuer,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive browser connections would otherwise hold the process open past SIGTERM.
      server.closeAllConnections();
    }),
  };
}

async function main() {
  const idp = await startIdp();
  console.log(`dev IdP listening on ${idp.issuer}`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 3000).unref();
    idp.close().then(() => {
      console.error(`dev IdP stopped (${signal})`);
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  main().catch((err) => {
    console.error('dev IdP failed to start:', err.message);
    process.exit(1);
  });
}
