#!/usr/bin/env node
// `npx scaling-lens …`: the headless CLI. dist/cli.js is built by `npm ci` (the `prepare` script).
require('../dist/cli.js');
