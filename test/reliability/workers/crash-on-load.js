// Fake fitting worker that dies while loading (a broken bundle): every spawn fails.
throw new Error('fake worker: cannot load');
