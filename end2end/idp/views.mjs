// Owns the dev IdP's HTML: login, consent, error and logout pages as plain self-contained strings.
// Must never load external assets or scripts, and never interpolate a value without escaping it.

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

// Inline CSS only: the IdP must work with no network and under a CSP that forbids other origins.
const STYLE = `
  *{box-sizing:border-box}
  body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d1f23;margin:0;padding:2rem 1rem}
  main{max-width:24rem;margin:0 auto;background:#fff;border:1px solid #c9ccd1;border-radius:6px;padding:1.5rem}
  h1{font-size:1.4rem;margin:0 0 .5rem}
  h2{font-size:1.05rem;margin:1rem 0 .25rem}
  .tag{font-size:.8rem;color:#4a4f57;margin:0 0 1rem}
  label{display:block;font-weight:600;margin:.75rem 0 .25rem}
  input{width:100%;padding:.5rem;font-size:1rem;border:1px solid #6b7078;border-radius:4px}
  button{font-size:1rem;padding:.55rem 1.1rem;border-radius:4px;border:1px solid #1b4f9c;cursor:pointer;margin-top:1rem}
  .primary{background:#1b4f9c;color:#fff}
  .secondary{background:#fff;color:#1b4f9c}
  .error{background:#fdecea;border:1px solid #b3261e;color:#8c1d18;padding:.5rem .75rem;border-radius:4px}
  ul{padding-left:1.25rem}
  :focus-visible{outline:3px solid #e8a400;outline-offset:2px}
`;

export function page({ title, body }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Dev IdP</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="tag">Development identity provider — test accounts only</p>
${body}
</main>
</body>
</html>`;
}

export function loginPage({ clientName, email = '', error = false }) {
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return page({
    title: 'Sign in',
    body: `<h1>Sign in</h1>
<p>to continue to <strong>${esc(clientName)}</strong></p>
${error ? '<p id="login-error" class="error" role="alert">Invalid email or password</p>' : ''}
<form method="post">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}"${invalid}${error ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${error ? ' autofocus' : ''}>
<button type="submit" class="primary">Sign in</button>
</form>`,
  });
}

const SCOPE_TEXT = {
  openid: 'Sign you in with your account identifier',
  email: 'Your email address and whether it is verified',
  profile: 'Your name',
};

export function consentPage({ clientName, accountEmail, scopes }) {
  const items = scopes
    .map((s) => `<li><strong>${esc(s)}</strong>: ${esc(SCOPE_TEXT[s] ?? s)}</li>`)
    .join('\n');
  return page({
    title: 'Allow access',
    body: `<h1>Allow access?</h1>
<p><strong>${esc(clientName)}</strong> wants to use your account <strong>${esc(accountEmail)}</strong>.</p>
<h2>It is asking for</h2>
<ul>
${items}
</ul>
<form method="post">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  });
}

export function errorPage({ title = 'Something went wrong', message, details = {} }) {
  const rows = Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('\n');
  return page({
    title,
    body: `<h1>${esc(title)}</h1>
<p role="alert">${esc(message)}</p>
${rows ? `<dl>\n${rows}\n</dl>` : ''}`,
  });
}

// `form` is oidc-provider's own hidden form (with its xsrf token); the buttons point at it by id.
export function logoutPage({ host, form }) {
  return page({
    title: 'Sign out',
    body: `<h1>Sign out of ${esc(host)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  });
}

export function loggedOutPage({ clientName }) {
  return page({
    title: 'Signed out',
    body: `<h1>Signed out</h1>
<p>You have been signed out${clientName ? ` of ${esc(clientName)}` : ''}.</p>`,
  });
}
