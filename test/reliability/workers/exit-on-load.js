// Fake fitting worker that exits right away with code 7 (e.g. out of memory at start-up).
process.exit(7);
