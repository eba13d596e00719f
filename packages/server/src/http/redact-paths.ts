// The redactor lives in @ktrdr/core, so the queue's workers redact what they store in Redis with the
// same rules as the servers' answers and logs; re-exported here for the server's own modules.
export { createPathRedactor, type PathRedactor, type ServerFolder } from '@ktrdr/core';
