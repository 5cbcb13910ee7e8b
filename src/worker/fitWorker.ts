// Placeholder: the fitting worker (worker_threads) is filled in with the fitting engine.
import { parentPort } from 'node:worker_threads';
parentPort?.on('message', (m) => parentPort?.postMessage({ id: m?.id, error: 'not implemented' }));
