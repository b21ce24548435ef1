/**
 * The `id` of a message a worker could not understand, so its error reply can still be matched
 * to the request ('' when the message has no string id).
 */
export function messageIdOf(data: unknown): string {
  return typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'string'
    ? data.id
    : '';
}
