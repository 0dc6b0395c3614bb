// Admin API access. The token lives only in sessionStorage (cleared when the tab closes).
const KEY = 'weir-admin-token';
export const token = () => sessionStorage.getItem(KEY);
export const setToken = t => sessionStorage.setItem(KEY, t);
export const clearToken = () => sessionStorage.removeItem(KEY);

export class Unauthorized extends Error {}

export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch('/api/v1' + path, {
    method,
    headers: { Authorization: 'Bearer ' + token(), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  if (res.status === 401) throw new Unauthorized('token refused');
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw Object.assign(new Error((data && data.error) || res.statusText), { status: res.status, data });
  return data;
}

// Server-sent events over fetch (so the token goes in a header, never in the URL). Returns an AbortController.
export function stream(path, onEvent, onError) {
  const ctl = new AbortController();
  (async () => {
    try {
      const res = await fetch('/api/v1' + path, { headers: { Authorization: 'Bearer ' + token() }, signal: ctl.signal });
      if (!res.ok) throw new Error('stream refused: ' + res.status);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i); buf = buf.slice(i + 2);
          let type = 'message', data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) onEvent(type, JSON.parse(data));
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError' && onError) onError(e);
    }
  })();
  return ctl;
}
