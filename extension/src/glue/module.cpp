// The shared library's module header.
#include "pg.hpp"

extern "C" {
PG_MODULE_MAGIC;
}
