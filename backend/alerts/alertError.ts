// A request about alerts the backend refuses, with the code the console is answered with.
export class AlertError extends Error {
  constructor(
    readonly code: 'forbidden' | 'notFound' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
