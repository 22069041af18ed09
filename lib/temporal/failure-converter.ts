// Loaded by path (workers need `failureConverterPath`): failure messages and stack traces
// move into an encoded payload, so the codec encrypts them too; the server stores both.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
