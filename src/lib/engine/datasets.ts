import {
  DIGITS_ROWS,
  parseBreastCancerCsv,
  parseDigitsCsv,
  type Dataset,
  type DatasetId,
} from '../core/data';

/** Where each shipped data set lives (under public/data, precached for offline use). */
const FILES: Record<DatasetId, string> = {
  digits: 'data/digits.csv.gz',
  breast_cancer: 'data/breast_cancer.csv',
};

/** Human names for the data set picker. */
export const DATASET_LABELS: Record<DatasetId, string> = {
  digits: 'Digits (8×8 images, 10 classes, 1,797 rows)',
  breast_cancer: 'Breast cancer (30 features, binary, 569 rows)',
};

const cache = new Map<DatasetId, Promise<Dataset>>();

/**
 * Fetches and parses a shipped data set once per page. A `.gz` file is decompressed here unless
 * the server already did (some hosts send precompressed files with Content-Encoding: gzip).
 */
export function loadDataset(id: DatasetId, base = import.meta.env.BASE_URL): Promise<Dataset> {
  let promise = cache.get(id);
  if (!promise) {
    promise = fetchDataset(id, base);
    promise.catch(() => cache.delete(id));
    cache.set(id, promise);
  }
  return promise;
}

async function fetchDataset(id: DatasetId, base: string): Promise<Dataset> {
  const url = `${base}${FILES[id]}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = isGzip(bytes) ? await gunzip(bytes) : new TextDecoder().decode(bytes);
  return id === 'digits'
    ? parseDigitsCsv(text, { expectedRows: DIGITS_ROWS })
    : parseBreastCancerCsv(text);
}

function isGzip(bytes: Uint8Array<ArrayBuffer>): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}
