// A real OpenID Connect provider (node-oidc-provider, OpenID Certified) for the sign-in tests.
//
// Settings come from the environment the pytest fixture sets:
//   OIDC_PORT               port to listen on (127.0.0.1); the issuer is http://127.0.0.1:<port>
//   OIDC_ACCOUNTS           JSON file {"<sub>": {claims}}, read at every sign-in, so a test can rewrite it
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
//   OIDC_REDIRECT_URIS      comma-separated redirect URIs of the test client
//   OIDC_POST_LOGOUT_URIS   comma-separated post-logout redirect URIs
//
// The development log-in form (devInteractions) accepts any password: the login field is the subject.
// Consent is skipped for the test client (a first-party application), PKCE is required for every client,
// and the claims are returned from the userinfo endpoint (the ID token carries only sub and the protocol
// claims), as most providers do.
import fs from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.OIDC_ACCOUNTS;
const list = (value) => (value || '').split(',').map((item) => item.trim()).filter(Boolean);

function readAccounts() {
  return JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
}

const scopes = ['openid', 'email', 'profile'];

const configuration = {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: list(process.env.OIDC_REDIRECT_URIS),
    post_logout_redirect_uris: list(process.env.OIDC_POST_LOGOUT_URIS),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  scopes,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'employee_code'],
  },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['tests-only-cookie-signing-key'] },
  async findAccount(_ctx, sub) {
    const accounts = readAccounts();
    if (!Object.hasOwn(accounts, sub)) {
      return undefined;
    }
    return {
      accountId: sub,
      async claims() {
        return { ...accounts[sub], sub };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(scopes.join(' '));
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, error) => console.error('server_error', error));
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
