/**
 * Errors this module raises. Repository functions reject with `StorageError` (IndexedDB
 * failed); registry functions also reject with `RegistryError` (the request was refused);
 * `parseProgressFile` rejects only with `ImportError`. All carry a message written for the
 * learner, so the UI can show `error.message` as is.
 */

/** Why a storage operation failed, so the UI can offer the right way out. */
export type StorageErrorKind =
  /** The browser's storage quota is used up: offer to delete old runs or logs. */
  | 'quota'
  /** Another tab holds an older version of the database open: ask to close other tabs. */
  | 'blocked'
  /** The database belongs to another app version (upgrade elsewhere, or a failed upgrade): ask to reload. */
  | 'version'
  | 'unknown';

/** A failed storage operation, with a user-facing `message` and the original error as `cause`. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A progress file that cannot be imported. `path` (e.g. `exerciseEvents[3].at`) says where, when known. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/** Why the registry refused a request. */
export type RegistryErrorCode =
  /** A name, alias or field is malformed (e.g. a model name that is not kebab-case). */
  | 'invalid'
  /** The model, version or alias named does not exist. */
  | 'not-found'
  /** The request would change nothing (an alias moved to the version it already points at). */
  | 'unchanged'
  /** The version is still the target of an alias, so it cannot be deleted. */
  | 'in-use';

/**
 * A registry request refused before anything was written (nothing changed). `message` is
 * written for the learner and says what to do instead.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * True for a quota error in any browser: the standard `QuotaExceededError` (legacy DOMException
 * code 22) and Firefox's older `NS_ERROR_DOM_QUOTA_REACHED` (code 1014).
 */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return (
    name === 'QuotaExceededError' ||
    name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    code === 22 ||
    code === 1014
  );
}

/**
 * Maps any error thrown by IndexedDB into a `StorageError`.
 * @param action what was being done, phrased to follow "could not", e.g. "save the run".
 */
export function toStorageError(error: unknown, action: string): StorageError {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error)) {
    return new StorageError(
      'quota',
      `Storage is full: could not ${action} (free space by deleting old runs or logs)`,
      { cause: error },
    );
  }
  const name = (error as { name?: unknown } | null)?.name;
  // A repository call on a connection that a `versionchange` closed (another tab upgraded or
  // reset the database) fails with InvalidStateError; reloading is the way out.
  if (name === 'VersionError' || name === 'InvalidStateError') {
    return new StorageError(
      'version',
      `Could not ${action}: Pocket MLOps was updated or reset in another tab; reload to continue`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError('unknown', `Could not ${action}: ${detail}`, { cause: error });
}

/**
 * Runs `operation` and maps whatever it throws with `toStorageError`, except a
 * `RegistryError`, which already explains itself and passes through unchanged.
 * Every repository call goes through here.
 */
export async function withStorageErrors<T>(
  action: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw toStorageError(error, action);
  }
}
