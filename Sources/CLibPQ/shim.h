// libpq, the PostgreSQL reference client (Debian's libpq-dev). Only
// Sources/PostgresStore/PG.swift imports this module.
#include <postgresql/libpq-fe.h>
