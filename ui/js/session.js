// Who is signed in, what their role may open, and navigation between views.

// {name, role, token_id} from GET /v1/me, or null before sign-in.
export const session = {me: null};

// Which roles may open each section (admin may do everything); mirrors the API's checks.
export const kSections = {
  queue: ['reviewer', 'auditor'],
  banks: ['curator', 'reviewer', 'auditor'],
  dashboard: ['reviewer', 'auditor'],
};

export function can(section) {
  const role = session.me && session.me.role;
  return role === 'admin' || (kSections[section] || []).includes(role);
}

// Whether the signed-in token has `role` (admin has every role).
export function hasRole(role) {
  const mine = session.me && session.me.role;
  return mine === 'admin' || mine === role;
}

// Navigates to `hash`, re-rendering when it is already the current one.
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
