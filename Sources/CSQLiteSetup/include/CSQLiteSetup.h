#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Configures the process's SQLite library before its first connection opens: multi-thread mode (GRDB
/// already serialises each connection, so SQLite's own per-call mutexes only cost time) and no memory
/// statistics (a global mutex on every allocation). Returns 0 when applied, non-zero when SQLite was
/// already initialised (then nothing changes and everything still works, only slower).
/// A C function because sqlite3_config is variadic, which Swift cannot call.
int carnation_sqlite_setup(void);

#endif
