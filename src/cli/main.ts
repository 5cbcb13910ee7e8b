// Placeholder replaced by the CLI (issue 5).
process.stdout.write('scaling-lens: not implemented yet\n');
process.exitCode = 2;
