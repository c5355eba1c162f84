#!/usr/bin/env node
// Entry point of the `tallennin` command; the CLI itself is compiled from src/cli/.
import '../dist/cli/tallennin.js';
