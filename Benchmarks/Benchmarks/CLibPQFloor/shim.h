// libpq for the database benchmarks' floor: the same statements sent bare.
#include <postgresql/libpq-fe.h>
