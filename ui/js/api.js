// The API client: every call carries the token the reviewer pasted, kept in
// sessionStorage (gone when the tab closes; never in localStorage).
const kTokenKey = 'vigil.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() { return sessionStorage.getItem(kTokenKey) || ''; }
export function setToken(t) { sessionStorage.setItem(kTokenKey, t); }
export function clearToken() { sessionStorage.removeItem(kTokenKey); }

// Listeners for 401 answers (a revoked token mid-session sends the user to login).
const unauthorized = new Set();
export function onUnauthorized(fn) { unauthorized.add(fn); }

async function errorFrom(res) {
  let code = 'http_error';
  let message = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    if (body && body.error) ({code, message} = body.error);
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(res.status, code, message);
}

// api('GET', '/v1/cases', {query: {status: 'open'}}) -> parsed JSON, or throws ApiError.
export async function api(method, path, {query, body, secret = token()} = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = {Authorization: `Bearer ${secret}`};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store', credentials: 'omit',
  });
  if (!res.ok) {
    const err = await errorFrom(res);
    // Only for the signed-in token: a wrong token typed at sign-in is the form's to report.
    if (res.status === 401 && secret === token()) unauthorized.forEach((fn) => fn(err));
    throw err;
  }
  return res.json();
}

// Uploads `file` with upload progress (fetch has no upload progress events; XHR does).
// onProgress(fraction 0..1). Resolves with {status, body} for 200 and 422 (the import
// report says which rows were bad); rejects with ApiError otherwise.
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response;
      if (xhr.status === 200 || xhr.status === 422) return resolve({status: xhr.status, body});
      const e = body && body.error ? body.error : {code: 'http_error', message: `HTTP ${xhr.status}`};
      reject(new ApiError(xhr.status, e.code, e.message));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the upload failed (network)')));
    xhr.send(file);
  });
}

// vigil's own /media/ URL fetched with the token, as an object URL; null for anything
// else, which loads directly: the token never goes to a third party, nor to another of
// vigil's routes a platform-given URL might name.
export async function mediaObjectUrl(contentUrl) {
  let url;
  try { url = new URL(contentUrl, location.origin); } catch { return null; }
  if (url.origin !== location.origin || !url.pathname.startsWith('/media/')) return null;
  const res = await fetch(url, {headers: {Authorization: `Bearer ${token()}`}, cache: 'no-store'});
  if (!res.ok) throw await errorFrom(res);
  return URL.createObjectURL(await res.blob());
}
