import { currentToken } from '../../auth';
import { saveBlob } from '../../ui/saveBlob';
import { importLine, splitLines, type ImportReport } from './logic';

/**
 * Files to and from the import routes (backend/http/imports.py): they want the
 * bearer token, which a link cannot send, so downloads are fetched and saved.
 */

const auth = (): Record<string, string> => {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** Download `path` and save it as `filename`; false when the server refused or the link is down. */
export async function download(path: string, filename: string): Promise<boolean> {
  try {
    const res = await fetch(path, { headers: auth(), cache: 'no-store' });
    if (!res.ok) return false;
    saveBlob(await res.blob(), filename);
    return true;
  } catch {
    return false;
  }
}

export type ImportOutcome = { status: 'report'; report: ImportReport } | { status: 'refused'; code: string; message: string; field: string | null };

/**
 * Send `file` for a dry run or an apply. The answer streams as NDJSON: progress
 * lines go to `onProgress` as they arrive (a 100,000-row file takes a while),
 * the last line is the report or the refusal.
 */
export async function sendImport(
  path: string,
  file: Blob,
  mode: 'dry-run' | 'apply',
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  let res: Response;
  try {
    res = await fetch(`${path}?mode=${mode}`, {
      method: 'POST',
      headers: { ...auth(), accept: 'application/x-ndjson', 'content-type': 'application/octet-stream' },
      body: file,
      cache: 'no-store',
      signal,
    });
  } catch {
    return { status: 'refused', code: 'NETWORK', message: '', field: null };
  }
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok || !type.includes('ndjson') || !res.body) {
    // Refused before the import started (signed out, no permission, too large): one JSON object.
    try {
      const body = (await res.json()) as { code?: string; message?: string; field?: string | null };
      return { status: 'refused', code: body.code ?? 'REQUEST_FAILED', message: body.message ?? '', field: body.field ?? null };
    } catch {
      return { status: 'refused', code: res.status === 401 ? 'UNAUTHENTICATED' : 'REQUEST_FAILED', message: '', field: null };
    }
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  let last: ImportOutcome | null = null;
  const take = (text: string) => {
    const line = importLine(text);
    if (!line) return;
    if (line.type === 'progress') onProgress(line.done, line.total);
    else if (line.type === 'report') last = { status: 'report', report: line.report };
    else last = { status: 'refused', code: line.code, message: line.message, field: line.field };
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const split = splitLines(rest, value);
      rest = split.rest;
      split.lines.forEach(take);
    }
    take(rest);
  } catch {
    return { status: 'refused', code: 'NETWORK', message: '', field: null };
  }
  return last ?? { status: 'refused', code: 'REQUEST_FAILED', message: '', field: null };
}
