import { ResponseError } from '@backstage/errors';

/** The message to show for an error: the server's own message for a failed backend call. */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const body = (error as ResponseError).body;
    return body?.error?.message ?? error.message;
  }
  return error.message;
}
