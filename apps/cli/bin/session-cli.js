#!/usr/bin/env node
// Launches session-cli from its TypeScript sources through tsx's loader, so the binary and the
// tests run the same code with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
