import { currentToken } from '../../auth';
import { saveBlob } from '../../ui/saveBlob';

/**
 * Download a printed document (label PDF): the server wants the bearer
 * token, which a plain link cannot send, so fetch it and hand the browser a
 * blob to save.
 */
export async function downloadDocument(url: string, filename: string): Promise<boolean> {
  const token = currentToken();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!res.ok) return false;
  saveBlob(await res.blob(), filename);
  return true;
}
