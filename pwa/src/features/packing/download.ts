import { currentToken } from '../../auth';

/**
 * Download a printed document (label PDF): the server wants the bearer
 * token, which a plain link cannot send, so fetch it and hand the browser a
 * blob to save.
 */
export async function downloadDocument(url: string, filename: string): Promise<boolean> {
  const token = currentToken();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!res.ok) return false;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return true;
}
