import type { SimulatorStore } from '../store/simulator-store';

export interface AuthorizeReply {
  readonly status: number;
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

function html(title: string, content: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${content}</body></html>`;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function errorPage(message: string): AuthorizeReply {
  return { status: 400, body: html('Sign-in error', `<p>${escape(message)}</p>`), headers: { 'content-type': 'text/html;charset=UTF-8' } };
}

/**
 * `/{envId}/as/authorize`: the authorization code flow with PKCE (S256 required). GET shows a plain sign-in form,
 * or, when tests switched on automatic approval, redirects straight back with a code; POST checks the form's
 * username and password against the directory.
 */
export function handleAuthorize(
  store: SimulatorStore,
  environmentId: string | undefined,
  method: string,
  url: URL,
  form: URLSearchParams,
): AuthorizeReply {
  const params = method === 'POST' ? form : url.searchParams;
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  const state = params.get('state') ?? '';
  const challenge = params.get('code_challenge') ?? '';
  const scope = params.get('scope') ?? 'openid';
  const found = store.findClient(clientId, environmentId);
  if (!found || !(found.client.grantTypes ?? []).includes('authorization_code'))
    return errorPage(`Unknown client '${clientId}', or it may not use the authorization code flow.`);
  if (params.get('response_type') !== 'code') return errorPage('response_type must be code.');
  // Native apps receive the code on a loopback redirect (RFC 8252 §7.3); other redirect URIs are not registered here.
  if (!LOOPBACK.test(redirectUri)) return errorPage('redirect_uri must be a loopback URL (http://127.0.0.1:<port>/…).');
  if (params.get('code_challenge_method') !== 'S256' || challenge.length < 43)
    return errorPage('PKCE is required: code_challenge with code_challenge_method=S256.');
  const env = found.environment;
  const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope', 'response_type']
    .map((k) => `<input type="hidden" name="${k}" value="${escape(params.get(k) ?? '')}">`)
    .join('');
  const form$ = (error = '') => ({
    status: 200,
    body: html(
      'Sign on',
      `${error ? `<p class="error">${escape(error)}</p>` : ''}<form method="post">${hidden}<label>Username <input name="username"></label><label>Password <input type="password" name="password"></label><button>Sign on</button></form>`,
    ),
    headers: { 'content-type': 'text/html;charset=UTF-8' },
  });
  let username: string | undefined;
  if (method === 'GET') {
    if (!store.grants.autoApproveUsername) return form$();
    username = store.grants.autoApproveUsername;
  } else {
    username = form.get('username') ?? '';
    const userId = env.userIdByUsername(username);
    const password = userId ? env.passwords.get(userId) : undefined;
    if (!userId || !password || password.value !== (form.get('password') ?? '')) return form$('Incorrect username or password.');
  }
  const userId = env.userIdByUsername(username);
  if (!userId) return errorPage(`No user '${username}' in this environment.`);
  const code = store.grants.issueCode({ environmentId: env.id, clientId, redirectUri, codeChallenge: challenge, userId, scope });
  const location = new URL(redirectUri);
  location.searchParams.set('code', code);
  if (state) location.searchParams.set('state', state);
  return { status: 302, headers: { location: location.toString() } };
}
