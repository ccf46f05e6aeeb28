// Owns the dev IdP's fixed test accounts and the lookups the provider and login page need.
// Must never hold a real person's data or a real credential: everything here is public test fixture.

// One shared password keeps browser tests short; the point of this IdP is the protocol, not the secret.
export const TEST_PASSWORD = 'password';

// `sub` is deliberately opaque and unrelated to the email, so the app cannot get away with
// treating the email as the identity key (emails change; subjects must not).
export const ACCOUNTS = Object.freeze([
  {
    sub: 'u-alice-7f3a',
    email: 'alice@example.com',
    email_verified: true,
    given_name: 'Alice',
    family_name: 'Example',
  },
  {
    sub: 'u-bob-19c2',
    email: 'bob@example.com',
    email_verified: true,
    given_name: 'Bob',
    family_name: 'Portal',
  },
  {
    // Has no Odoo account in the tests: exercises the "signed in upstream, unknown downstream" path.
    sub: 'u-carol-5d10',
    email: 'carol@example.com',
    email_verified: true,
    given_name: 'Carol',
    family_name: 'Nobody',
  },
  {
    // The app must refuse to link an unverified email to an Odoo user.
    sub: 'u-dave-0b77',
    email: 'dave@example.com',
    email_verified: false,
    given_name: 'Dave',
    family_name: 'Unverified',
  },
].map((a) => Object.freeze({ ...a, name: `${a.given_name} ${a.family_name}` })));

const bySub = new Map(ACCOUNTS.map((a) => [a.sub, a]));
const byEmail = new Map(ACCOUNTS.map((a) => [a.email, a]));

export function findBySub(sub) {
  return bySub.get(sub);
}

// Returns the account only when both email and password match, so the login page can give one
// message for either mistake and not reveal which emails exist.
export function authenticate(email, password) {
  const account = byEmail.get(String(email ?? '').trim().toLowerCase());
  if (!account || password !== TEST_PASSWORD) return undefined;
  return account;
}

// The provider filters these down to what the granted scopes and claims allow.
export function claimsOf(account) {
  const { sub, email, email_verified, name, given_name, family_name } = account;
  return { sub, email, email_verified, name, given_name, family_name };
}
