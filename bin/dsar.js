#!/usr/bin/env node
// Runs the TypeScript CLI in place: tsx compiles cli/main.ts as it loads, so there is no build step
// between editing the domain code and running `npx dsar`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
